// The layout kernels the GPU convolutions still launch on their own: col2im (the adjoint of im2col: each image value
// adds its k x k contributions in (ki, kj) order, a gather, so no atomics and no races), with the bias and a fused
// activation applied as it writes, and the per-channel sums of a transposed convolution's output gradient (its bias
// gradient). im2col itself and the channel-major copies are never materialised: ../Dense/GemmOperand reads them out
// of the tensors. The CPU counterparts are ../../Kernels/Im2Col.cs, Col2Im.cs and ChannelMajor.cs, and
// ConvolutionCpu.SumPerChannel; tests/Trainer/Engine/Backends/Convolution checks these against them.
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Engine.Backends.Reductions;

namespace VaeOnnx.Trainer.Engine.Backends.Convolution;

public sealed class Im2ColGpu(KernelLoader kernels)
{
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, float, Unfold>? _col2im;
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ChannelSumShape>? _channelSums;

    /// <summary>
    /// Images (Images, Channels, Height, Width) unfolded on a (GridHeight, GridWidth) grid of k x k patches:
    /// column (n, oh, ow), row (c, ki, kj) reads image (n, c, oh s - p + ki, ow s - p + kj), zero outside.
    /// </summary>
    public readonly record struct Unfold(int Images, int Channels, int Height, int Width, int GridHeight, int GridWidth, int Kernel, int Stride, int Padding)
    {
        public int Rows => Channels * Kernel * Kernel;

        public int Columns => Images * GridHeight * GridWidth;
    }

    /// <summary>
    /// images = f(col2im(columns) + bias[c]) (bias when given, f the fused activation): the adjoint of im2col.
    /// </summary>
    public void Col2Im(in Unfold u, ArrayView<float> columns, ArrayView<float>? bias, FusedActivation activation, ArrayView<float> images)
    {
        int length = u.Images * u.Channels * u.Height * u.Width;
        if (length > 0)
        {
            (_col2im ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, float, Unfold>(Col2ImKernel))(
                length, columns, bias ?? columns, images, bias is null ? 0 : 1, activation.IsFused ? 1 : 0, activation.NegativeSlope, u);
        }
    }

    /// <summary>
    /// sums[c] = the sum of x[n, c, :] over n and pixels (NCHW), each value times the fused activation's derivative
    /// read from <paramref name="y"/>; one group per channel.
    /// </summary>
    public void ChannelSums(int images, int channels, int pixels, ArrayView<float> x, FusedActivation activation, ArrayView<float> y, ArrayView<float> sums)
    {
        if (channels > 0)
        {
            (_channelSums ??= kernels.LoadGrouped<ArrayView<float>, ArrayView<float>, ArrayView<float>, ChannelSumShape>(ChannelSumsKernel))(
                new KernelConfig(channels, GroupReduction.GroupSize), x, y, sums,
                new ChannelSumShape(images, channels, pixels, activation.IsFused ? 1 : 0, activation.NegativeSlope));
        }
    }

    /// <summary>The per-channel sum's sizes and the fused activation (masked 0/1, its slope), passed by value.</summary>
    public readonly record struct ChannelSumShape(int Images, int Channels, int Pixels, int Masked, float Slope);

    private static void Col2ImKernel(Index1D e, ArrayView<float> columns, ArrayView<float> bias, ArrayView<float> images, int hasBias, int activated,
        float slope, Unfold u)
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
        float value = hasBias != 0 ? bias[c] + sum : sum;
        if (activated != 0 && !(value > 0f))
        {
            value = slope == 0f ? 0f : slope * value;
        }
        images[e] = value;
    }

    private static void ChannelSumsKernel(ArrayView<float> x, ArrayView<float> y, ArrayView<float> sums, ChannelSumShape s)
    {
        ArrayView<float> shared = SharedMemory.Allocate<float>(GroupReduction.GroupSize);
        int c = Grid.IdxX;
        int count = s.Images * s.Pixels;
        float sum = 0f;
        for (int j = Group.IdxX; j < count; j += GroupReduction.GroupSize)
        {
            long index = ((long)(j / s.Pixels) * s.Channels + c) * s.Pixels + j % s.Pixels;
            float value = x[index];
            if (s.Masked != 0 && !(y[index] > 0f))
            {
                value = s.Slope == 0f ? 0f : s.Slope * value;
            }
            sum += value;
        }
        float total = GroupReduction.Sum(shared, sum);
        if (Group.IdxX == 0)
        {
            sums[c] = total;
        }
    }
}
