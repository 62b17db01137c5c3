// Unfolds image patches into the columns of a matrix, so that a convolution becomes one GEMM:
//   columns[(c * k + ki) * k + kj, oh * outWidth + ow] = image[c, oh * stride - padding + ki, ow * stride - padding + kj]
// with zeros where the patch reaches into the padding. Square kernel, stride and padding; any image size.
// The image is first copied into a zero-bordered plane (PaddedPlanes), so every column row is then a plain gather
// with no bounds tests: vectorised row by row for strides 1 and 2 (StridedRows), through an offset table otherwise.
// It does not check shapes: the convolution layers validate at their boundary and call it in their loops.
namespace VaeOnnx.Trainer.Engine.Kernels;

public static unsafe class Im2Col
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
        var planes = PaddedPlanes.ForCurrentThread(channels, height, width, kernelSize, stride, padding, outHeight, outWidth);
        planes.Load(image);
        int pixels = outHeight * outWidth;
        bool vector = StridedRows.IsSupported(stride);
        fixed (float* destination = columns)
        fixed (int* offsets = planes.Offsets)
        {
            float* padded = planes.Data;
            for (int c = 0; c < channels; c++)
            {
                for (int ki = 0; ki < kernelSize; ki++)
                {
                    for (int kj = 0; kj < kernelSize; kj++)
                    {
                        int row = (c * kernelSize + ki) * kernelSize + kj;
                        float* source = padded + (long)c * planes.PlaneLength + ki * planes.PaddedWidth + kj;
                        float* line = destination + (long)row * columnStride;
                        if (!vector)
                        {
                            Gather(source, offsets, line, pixels);
                            continue;
                        }
                        StridedRows.Take(source, stride * planes.PaddedWidth, stride, line, outWidth, outHeight);
                    }
                }
            }
        }
    }

    // destination[q] = source[offsets[q]]. (An AVX2 hardware gather measured no faster than this on Zen 5.)
    private static void Gather(float* source, int* offsets, float* destination, int count)
    {
        for (int q = 0; q < count; q++)
        {
            destination[q] = source[offsets[q]];
        }
    }
}
