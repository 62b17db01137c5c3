// Logistic sigmoid, y = 1 / (1 + exp(-x)), any shape. The VAE's decoder does not use it in training (the Bernoulli
// loss works on logits for stability); it turns logits into pixel means at inference.
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Sigmoid : ActivationLayer
{
    private protected override void Activate(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Sigmoid(x, y);

    // dX = (1 - y) * y, then * dY: three vectorised passes, no scratch buffer.
    private protected override void Differentiate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dY, Span<float> dX)
    {
        TensorPrimitives.Subtract(1f, y, dX);
        TensorPrimitives.Multiply(dX, y, dX);
        TensorPrimitives.Multiply(dX, dY, dX);
    }
}
