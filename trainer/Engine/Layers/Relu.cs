// Rectified linear unit, y = max(x, 0), any shape. Like PyTorch, the gradient at exactly 0 is 0.
using System.Numerics;
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Relu : ActivationLayer
{
    private protected override void Activate(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    // dX = dY where y > 0, else 0 (PyTorch's threshold_backward on the output).
    private protected override void Differentiate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dY, Span<float> dX)
    {
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
}
