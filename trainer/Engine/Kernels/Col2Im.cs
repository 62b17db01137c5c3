// The adjoint of Im2Col: adds every column entry back onto the image pixel it was copied from, so overlapping
// patches sum. It carries gradients back through a convolution and is the scatter step of a transposed convolution.
// It accumulates: the caller clears the image (or fills it with a bias) first. It does not allocate or check shapes.
namespace VaeOnnx.Trainer.Engine.Kernels;

public static class Col2Im
{
    /// <summary>
    /// image (channels, height, width) += fold(columns), where columns is the (channels * k * k, outHeight * outWidth)
    /// patch matrix laid out as in <see cref="Im2Col.Expand"/> (row r starts at columns[r * columnStride]).
    /// </summary>
    public static void Accumulate(
        ReadOnlySpan<float> columns, int columnStride,
        int channels, int height, int width,
        int kernelSize, int stride, int padding, int outHeight, int outWidth,
        Span<float> image)
    {
        for (int c = 0; c < channels; c++)
        {
            Span<float> plane = image.Slice(c * height * width, height * width);
            for (int ki = 0; ki < kernelSize; ki++)
            {
                for (int kj = 0; kj < kernelSize; kj++)
                {
                    int row = (c * kernelSize + ki) * kernelSize + kj;
                    ReadOnlySpan<float> source = columns.Slice(row * columnStride, outHeight * outWidth);
                    var (owStart, owEnd) = Im2Col.ValidOutputRange(kj, stride, padding, width, outWidth);
                    if (owStart >= owEnd)
                    {
                        continue;
                    }
                    for (int oh = 0; oh < outHeight; oh++)
                    {
                        int ih = oh * stride - padding + ki;
                        if ((uint)ih >= (uint)height)
                        {
                            continue;
                        }
                        ReadOnlySpan<float> line = source.Slice(oh * outWidth, outWidth);
                        Span<float> target = plane.Slice(ih * width, width);
                        int iw = owStart * stride - padding + kj;
                        for (int ow = owStart; ow < owEnd; ow++, iw += stride)
                        {
                            target[iw] += line[ow];
                        }
                    }
                }
            }
        }
    }
}
