// The layout kernels of the GPU convolutions, one thread per output value: im2col over a whole batch into one
// (C k k, N Ho Wo) matrix, its adjoint col2im as a gather (each image value adds its k x k contributions in (ki, kj)
// order: no atomics, no races), and the NCHW <-> channel-major copies around a GEMM. The CPU counterparts are
// ../../Kernels/Im2Col.cs, Col2Im.cs and ChannelMajor.cs; tests/Trainer/Engine/Backends/Convolution checks these against them.
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Backends.Launches;

namespace VaeOnnx.Trainer.Engine.Backends.Convolution;

public sealed class Im2ColGpu(KernelLoader kernels)
{
    private Action<Index1D, ArrayView<float>, ArrayView<float>, Unfold>? _im2col;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, Unfold>? _col2im;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, int, int, int>? _toChannelMajor;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>? _fromChannelMajor;
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, int, int>? _channelSums;

    /// <summary>
    /// Images (Images, Channels, Height, Width) unfolded on a (GridHeight, GridWidth) grid of k x k patches:
    /// column (n, oh, ow), row (c, ki, kj) reads image (n, c, oh s - p + ki, ow s - p + kj), zero outside.
    /// </summary>
    public readonly record struct Unfold(int Images, int Channels, int Height, int Width, int GridHeight, int GridWidth, int Kernel, int Stride, int Padding)
    {
        public int Rows => Channels * Kernel * Kernel;

        public int Columns => Images * GridHeight * GridWidth;
    }

    /// <summary>columns (Rows x Columns) = im2col of the images.</summary>
    public void Im2Col(in Unfold u, ArrayView<float> images, ArrayView<float> columns)
    {
        int length = u.Rows * u.Columns;
        if (length > 0)
        {
            (_im2col ??= kernels.Load<ArrayView<float>, ArrayView<float>, Unfold>(Im2ColKernel))(length, images, columns, u);
        }
    }

    /// <summary>images = col2im(columns) (+ bias[c] when <paramref name="bias"/> is given): the adjoint of Im2Col.</summary>
    public void Col2Im(in Unfold u, ArrayView<float> columns, ArrayView<float>? bias, ArrayView<float> images)
    {
        int length = u.Images * u.Channels * u.Height * u.Width;
        if (length > 0)
        {
            (_col2im ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, Unfold>(Col2ImKernel))(
                length, columns, bias ?? columns, images, bias is null ? 0 : 1, u);
        }
    }

    /// <summary>(N, C, P) -> (C, N P).</summary>
    public void ToChannelMajor(int images, int channels, int pixels, ArrayView<float> source, ArrayView<float> destination)
    {
        int length = images * channels * pixels;
        if (length > 0)
        {
            (_toChannelMajor ??= kernels.Load<ArrayView<float>, ArrayView<float>, int, int, int>(ToChannelMajorKernel))(
                length, source, destination, images, channels, pixels);
        }
    }

    /// <summary>(C, N P) -> (N, C, P), adding bias[c] when <paramref name="bias"/> is given.</summary>
    public void FromChannelMajor(int images, int channels, int pixels, ArrayView<float> source, ArrayView<float>? bias, ArrayView<float> destination)
    {
        int length = images * channels * pixels;
        if (length > 0)
        {
            (_fromChannelMajor ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int>(
                FromChannelMajorKernel))(length, source, bias ?? source, destination, bias is null ? 0 : 1, images, channels, pixels);
        }
    }

    /// <summary>sums[c] = the sum of x[n, c, :] over n and pixels (NCHW), one group per channel.</summary>
    public void ChannelSums(int images, int channels, int pixels, ArrayView<float> x, ArrayView<float> sums)
    {
        if (channels > 0)
        {
            (_channelSums ??= kernels.LoadGrouped<ArrayView<float>, ArrayView<float>, int, int, int>(ChannelSumsKernel))(
                new KernelConfig(channels, Reductions.GroupReduction.GroupSize), x, sums, images, channels, pixels);
        }
    }

    private static void Im2ColKernel(Index1D e, ArrayView<float> images, ArrayView<float> columns, Unfold u)
    {
        int columnCount = u.Images * u.GridHeight * u.GridWidth;
        int row = e / columnCount, column = e % columnCount;
        int gridPixels = u.GridHeight * u.GridWidth;
        int n = column / gridPixels, p = column % gridPixels;
        int oh = p / u.GridWidth, ow = p % u.GridWidth;
        int c = row / (u.Kernel * u.Kernel), ki = row / u.Kernel % u.Kernel, kj = row % u.Kernel;
        int h = oh * u.Stride - u.Padding + ki, w = ow * u.Stride - u.Padding + kj;
        columns[e] = h >= 0 && h < u.Height && w >= 0 && w < u.Width
            ? images[((long)(n * u.Channels + c) * u.Height + h) * u.Width + w]
            : 0f;
    }

    private static void Col2ImKernel(Index1D e, ArrayView<float> columns, ArrayView<float> bias, ArrayView<float> images, int hasBias, Unfold u)
    {
        int w = e % u.Width, h = e / u.Width % u.Height;
        int c = e / (u.Width * u.Height) % u.Channels, n = e / (u.Width * u.Height * u.Channels);
        int columnCount = u.Images * u.GridHeight * u.GridWidth;
        int imageColumn = n * u.GridHeight * u.GridWidth;
        float sum = 0f;
        for (int ki = 0; ki < u.Kernel; ki++)
        {
            int ohStrided = h + u.Padding - ki;
            if (ohStrided < 0 || ohStrided % u.Stride != 0 || ohStrided / u.Stride >= u.GridHeight)
            {
                continue;
            }
            int oh = ohStrided / u.Stride;
            for (int kj = 0; kj < u.Kernel; kj++)
            {
                int owStrided = w + u.Padding - kj;
                if (owStrided < 0 || owStrided % u.Stride != 0 || owStrided / u.Stride >= u.GridWidth)
                {
                    continue;
                }
                int row = (c * u.Kernel + ki) * u.Kernel + kj;
                sum += columns[(long)row * columnCount + imageColumn + oh * u.GridWidth + owStrided / u.Stride];
            }
        }
        images[e] = hasBias != 0 ? bias[c] + sum : sum;
    }

    private static void ToChannelMajorKernel(Index1D e, ArrayView<float> source, ArrayView<float> destination, int images, int channels, int pixels)
    {
        int columnCount = images * pixels;
        int c = e / columnCount, q = e % columnCount;
        int n = q / pixels, p = q % pixels;
        destination[e] = source[((long)n * channels + c) * pixels + p];
    }

    private static void FromChannelMajorKernel(Index1D e, ArrayView<float> source, ArrayView<float> bias, ArrayView<float> destination, int hasBias,
        int images, int channels, int pixels)
    {
        int p = e % pixels, c = e / pixels % channels, n = e / (pixels * channels);
        float value = source[(long)c * images * pixels + n * pixels + p];
        destination[e] = hasBias != 0 ? value + bias[c] : value;
    }

    private static void ChannelSumsKernel(ArrayView<float> x, ArrayView<float> sums, int images, int channels, int pixels)
    {
        ArrayView<float> shared = SharedMemory.Allocate<float>(Reductions.GroupReduction.GroupSize);
        int c = Grid.IdxX;
        int count = images * pixels;
        float sum = 0f;
        for (int j = Group.IdxX; j < count; j += Reductions.GroupReduction.GroupSize)
        {
            sum += x[((long)(j / pixels) * channels + c) * pixels + j % pixels];
        }
        float total = Reductions.GroupReduction.Sum(shared, sum);
        if (Group.IdxX == 0)
        {
            sums[c] = total;
        }
    }
}
