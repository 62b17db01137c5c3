// Unfolds image patches into the columns of a matrix, so that a convolution becomes one GEMM:
//   columns[(c * k + ki) * k + kj, oh * outWidth + ow] = image[c, oh * stride - padding + ki, ow * stride - padding + kj]
// with zeros where the patch reaches into the padding. Square kernel, stride and padding; any image size.
// It does not allocate or check shapes: the convolution layers validate at their boundary and call it in their loops.
namespace VaeOnnx.Trainer.Engine.Kernels;

public static class Im2Col
{
    /// <summary>
    /// Writes the (channels * k * k, outHeight * outWidth) patch matrix of one image (channels, height, width).
    /// Row r of the matrix starts at columns[r * columnStride], so several images can sit side by side in one matrix.
    /// </summary>
    public static void Expand(
        ReadOnlySpan<float> image, int channels, int height, int width,
        int kernelSize, int stride, int padding, int outHeight, int outWidth,
        Span<float> columns, int columnStride)
    {
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = image.Slice(c * height * width, height * width);
            for (int ki = 0; ki < kernelSize; ki++)
            {
                for (int kj = 0; kj < kernelSize; kj++)
                {
                    int row = (c * kernelSize + ki) * kernelSize + kj;
                    Span<float> destination = columns.Slice(row * columnStride, outHeight * outWidth);
                    var (owStart, owEnd) = ValidOutputRange(kj, stride, padding, width, outWidth);
                    for (int oh = 0; oh < outHeight; oh++)
                    {
                        Span<float> line = destination.Slice(oh * outWidth, outWidth);
                        int ih = oh * stride - padding + ki;
                        if ((uint)ih >= (uint)height || owStart >= owEnd)
                        {
                            line.Clear();
                            continue;
                        }
                        line[..owStart].Clear();
                        line[owEnd..].Clear();
                        ReadOnlySpan<float> source = plane.Slice(ih * width, width);
                        int iw = owStart * stride - padding + kj;
                        if (stride == 1)
                        {
                            source.Slice(iw, owEnd - owStart).CopyTo(line[owStart..owEnd]);
                        }
                        else
                        {
                            for (int ow = owStart; ow < owEnd; ow++, iw += stride)
                            {
                                line[ow] = source[iw];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The output columns [start, end) whose input column ow * stride - padding + kj lies inside [0, width).
    /// </summary>
    internal static (int Start, int End) ValidOutputRange(int kj, int stride, int padding, int width, int outWidth)
    {
        // ow * stride >= padding - kj  and  ow * stride <= width - 1 + padding - kj
        int low = padding - kj;
        int start = low <= 0 ? 0 : (low + stride - 1) / stride;
        int high = width - 1 + padding - kj;
        int end = high < 0 ? 0 : Math.Min(outWidth, high / stride + 1);
        return (Math.Min(start, end), end);
    }
}
