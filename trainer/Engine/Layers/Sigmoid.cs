// Logistic sigmoid, y = 1 / (1 + exp(-x)), any shape. The VAE's decoder does not use it in training (the Bernoulli
// loss works on logits for stability); it turns logits into pixel means at inference.
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Sigmoid : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);

    // x (any) -> y (same shape)
    public override Tensor Forward(Tensor input)
    {
        _output.Resize(input.Shape);
        TensorPrimitives.Sigmoid(input.Span, _output.Span);
        return _output;
    }

    // dX = dY * y * (1 - y)
    public override Tensor Backward(Tensor gradOutput)
    {
        if (gradOutput.Length != _output.Length)
        {
            throw new ArgumentException($"Sigmoid expects gradOutput shaped like its last output {_output}; got {gradOutput}.", nameof(gradOutput));
        }
        if (!NeedsInputGradient)
        {
            return _gradInput.Resize(0);
        }
        _gradInput.Resize(_output.Shape);
        Span<float> dX = _gradInput.Span;
        ReadOnlySpan<float> y = _output.Span;
        // dX = (1 - y) * y, then * dY: two vectorised passes, no scratch buffer.
        TensorPrimitives.Subtract(1f, y, dX);
        TensorPrimitives.Multiply(dX, y, dX);
        TensorPrimitives.Multiply(dX, gradOutput.Span, dX);
        return _gradInput;
    }
}
