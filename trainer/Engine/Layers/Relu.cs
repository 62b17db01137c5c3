// Rectified linear unit, y = max(x, 0), any shape. Like PyTorch, the gradient at exactly 0 is 0.
// It does not work in place: it owns its output so that the previous layer's output stays intact.
using System.Numerics;
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Relu : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);

    // x (any) -> y (same shape)
    public override Tensor Forward(Tensor input)
    {
        _output.Resize(input.Shape);
        TensorPrimitives.Max(input.Span, 0f, _output.Span);
        return _output;
    }

    // dX = dY where y > 0, else 0 (PyTorch's threshold_backward on the output).
    public override Tensor Backward(Tensor gradOutput)
    {
        if (gradOutput.Length != _output.Length)
        {
            throw new ArgumentException($"Relu expects gradOutput shaped like its last output {_output}; got {gradOutput}.", nameof(gradOutput));
        }
        if (!NeedsInputGradient)
        {
            return _gradInput.Resize(0);
        }
        _gradInput.Resize(_output.Shape);
        ReadOnlySpan<float> y = _output.Span;
        ReadOnlySpan<float> dY = gradOutput.Span;
        Span<float> dX = _gradInput.Span;
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
        return _gradInput;
    }
}
