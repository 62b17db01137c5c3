// The adjoint of Im2Col: adds every column entry back onto the image pixel it was copied from, so overlapping
// patches sum. It carries gradients back through a convolution and is the scatter step of a transposed convolution.
// It accumulates: the caller clears the image (or fills it with a bias) first. Entries are summed into a zero-bordered
// copy (PaddedPlanes) in a fixed order (rows in order, pixels in order), then its interior is added to the image.
// It does not check shapes.
namespace VaeOnnx.Trainer.Engine.Kernels;

public static unsafe class Col2Im
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
        var planes = PaddedPlanes.ForCurrentThread(channels, height, width, kernelSize, stride, padding, outHeight, outWidth);
        planes.Clear();
        int pixels = outHeight * outWidth;
        bool vector = StridedRows.IsSupported(stride);
        fixed (float* source = columns)
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
                        float* target = padded + (long)c * planes.PlaneLength + ki * planes.PaddedWidth + kj;
                        float* line = source + (long)row * columnStride;
                        if (vector)
                        {
                            StridedRows.Give(line, outWidth, stride, target, stride * planes.PaddedWidth, outHeight);
                            continue;
                        }
                        for (int q = 0; q < pixels; q++)
                        {
                            target[offsets[q]] += line[q];
                        }
                    }
                }
            }
        }
        planes.AddInteriorTo(image);
    }
}
