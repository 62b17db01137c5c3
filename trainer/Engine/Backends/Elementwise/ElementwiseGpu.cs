// The element-wise ops on the GPU, one thread per element: copies, sums, the batch gather from a device-resident
// dataset, and the activations' functions and derivatives. ElementwiseCpu.cs beside it is the CPU version and the
// reference the tests check this against (tests/Trainer/Engine/Backends/Elementwise).
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Backends.Launches;

namespace VaeOnnx.Trainer.Engine.Backends.Elementwise;

public sealed class ElementwiseGpu(KernelLoader kernels)
{
    private Action<Index1D, ArrayView<float>, ArrayView<float>>? _copy;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _add;
    private Action<Index1D, ArrayView<float>, ArrayView<int>, ArrayView<float>, int>? _gather;
    private Action<Index1D, ArrayView<float>, ArrayView<float>>? _relu;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _reluBackward;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, float, ArrayView<float>>? _leaky;
    private Action<Index1D, ArrayView<float>, ArrayView<float>>? _sigmoid;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _sigmoidBackward;

    public void Copy(int length, ArrayView<float> source, ArrayView<float> destination)
    {
        if (length > 0)
        {
            (_copy ??= kernels.Load<ArrayView<float>, ArrayView<float>>(CopyKernel))(length, source, destination);
        }
    }

    public void Add(int length, ArrayView<float> a, ArrayView<float> b, ArrayView<float> sum)
    {
        if (length > 0)
        {
            (_add ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>>(AddKernel))(length, a, b, sum);
        }
    }

    public void Gather(int length, ArrayView<float> images, ArrayView<int> indices, int imageSize, ArrayView<float> batch)
    {
        if (length > 0)
        {
            (_gather ??= kernels.Load<ArrayView<float>, ArrayView<int>, ArrayView<float>, int>(GatherKernel))(
                length, images, indices, batch, imageSize);
        }
    }

    public void Relu(int length, ArrayView<float> x, ArrayView<float> y)
    {
        if (length > 0)
        {
            (_relu ??= kernels.Load<ArrayView<float>, ArrayView<float>>(ReluKernel))(length, x, y);
        }
    }

    public void ReluBackward(int length, ArrayView<float> y, ArrayView<float> dY, ArrayView<float> dX)
    {
        if (length > 0)
        {
            (_reluBackward ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>>(ReluBackwardKernel))(
                length, y, dY, dX);
        }
    }

    /// <summary>result = x &gt; 0 ? v : slope v (the forward with v = x, the backward with v = dY).</summary>
    public void LeakySelect(int length, ArrayView<float> x, ArrayView<float> v, float slope, ArrayView<float> result)
    {
        if (length > 0)
        {
            (_leaky ??= kernels.Load<ArrayView<float>, ArrayView<float>, float, ArrayView<float>>(LeakyKernel))(
                length, x, v, slope, result);
        }
    }

    public void Sigmoid(int length, ArrayView<float> x, ArrayView<float> y)
    {
        if (length > 0)
        {
            (_sigmoid ??= kernels.Load<ArrayView<float>, ArrayView<float>>(SigmoidKernel))(length, x, y);
        }
    }

    public void SigmoidBackward(int length, ArrayView<float> y, ArrayView<float> dY, ArrayView<float> dX)
    {
        if (length > 0)
        {
            (_sigmoidBackward ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>>(SigmoidBackwardKernel))(
                length, y, dY, dX);
        }
    }

    private static void CopyKernel(Index1D i, ArrayView<float> source, ArrayView<float> destination) => destination[i] = source[i];

    private static void AddKernel(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> sum) => sum[i] = a[i] + b[i];

    private static void GatherKernel(Index1D i, ArrayView<float> images, ArrayView<int> indices, ArrayView<float> batch, int imageSize) =>
        batch[i] = images[(long)indices[i / imageSize] * imageSize + i % imageSize];

    private static void ReluKernel(Index1D i, ArrayView<float> x, ArrayView<float> y) => y[i] = x[i] > 0f ? x[i] : 0f;

    private static void ReluBackwardKernel(Index1D i, ArrayView<float> y, ArrayView<float> dY, ArrayView<float> dX) =>
        dX[i] = y[i] > 0f ? dY[i] : 0f;

    private static void LeakyKernel(Index1D i, ArrayView<float> x, ArrayView<float> v, float slope, ArrayView<float> result) =>
        result[i] = x[i] > 0f ? v[i] : slope * v[i];

    private static void SigmoidKernel(Index1D i, ArrayView<float> x, ArrayView<float> y) => y[i] = 1f / (1f + MathF.Exp(-x[i]));

    private static void SigmoidBackwardKernel(Index1D i, ArrayView<float> y, ArrayView<float> dY, ArrayView<float> dX) =>
        dX[i] = (1f - y[i]) * y[i] * dY[i];
}
