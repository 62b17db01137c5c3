// The element-wise ops on the CPU, vectorised with System.Numerics.Tensors / Vector<T>: copies, sums, the batch
// gather, and the activations' functions and derivatives (ReLU, leaky ReLU, sigmoid). ElementwiseGpu.cs beside it is
// the GPU version; the layers (../../Layers) call both through ComputeBackend.
using System.Numerics;
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Backends.Elementwise;

public static class ElementwiseCpu
{
    public static void Copy(Tensor source, Tensor destination) => source.Span.CopyTo(destination.Span);

    public static void Add(Tensor a, Tensor b, Tensor sum) => TensorPrimitives.Add(a.Span, b.Span, sum.Span);

    public static void GatherImages(Tensor images, int imageSize, ReadOnlySpan<int> indices, Tensor batch)
    {
        ReadOnlySpan<float> source = images.Span;
        Span<float> destination = batch.Span;
        for (int i = 0; i < indices.Length; i++)
        {
            source.Slice(indices[i] * imageSize, imageSize).CopyTo(destination.Slice(i * imageSize, imageSize));
        }
    }

    public static void Relu(Tensor x, Tensor y) => TensorPrimitives.Max(x.Span, 0f, y.Span);

    // dX = dY where y > 0, else 0 (PyTorch's threshold_backward on the output).
    public static void ReluBackward(Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ReadOnlySpan<float> y = output.Span, dY = gradOutput.Span;
        Span<float> dX = gradInput.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var positive = Vector.GreaterThan(new Vector<float>(y[i..]), Vector<float>.Zero);
                Vector.ConditionalSelect(positive, new Vector<float>(dY[i..]), Vector<float>.Zero).CopyTo(dX[i..]);
            }
        }
        for (; i < y.Length; i++)
        {
            dX[i] = y[i] > 0f ? dY[i] : 0f;
        }
    }

    public static void LeakyRelu(Tensor x, float slope, Tensor y) => Select(x.Span, x.Span, slope, y.Span);

    // dX = dY where x > 0, else slope * dY.
    public static void LeakyReluBackward(Tensor x, float slope, Tensor gradOutput, Tensor gradInput) =>
        Select(x.Span, gradOutput.Span, slope, gradInput.Span);

    public static void Sigmoid(Tensor x, Tensor y) => TensorPrimitives.Sigmoid(x.Span, y.Span);

    // dX = (1 - y) * y, then * dY: three vectorised passes, no scratch buffer.
    public static void SigmoidBackward(Tensor output, Tensor gradOutput, Tensor gradInput)
    {
        ReadOnlySpan<float> y = output.Span;
        Span<float> dX = gradInput.Span;
        TensorPrimitives.Subtract(1f, y, dX);
        TensorPrimitives.Multiply(dX, y, dX);
        TensorPrimitives.Multiply(dX, gradOutput.Span, dX);
    }

    // result = x > 0 ? v : slope * v
    private static void Select(ReadOnlySpan<float> x, ReadOnlySpan<float> v, float slope, Span<float> result)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var slopes = new Vector<float>(slope);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var values = new Vector<float>(v[i..]);
                var positive = Vector.GreaterThan(new Vector<float>(x[i..]), Vector<float>.Zero);
                Vector.ConditionalSelect(positive, values, values * slopes).CopyTo(result[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            result[i] = x[i] > 0f ? v[i] : slope * v[i];
        }
    }
}
