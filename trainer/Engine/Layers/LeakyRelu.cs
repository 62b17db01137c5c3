// Leaky ReLU, y = x for x > 0 else negativeSlope * x, any shape (PyTorch's nn.LeakyReLU; gradient at 0 is negativeSlope).
// It does not work in place.
using System.Numerics;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class LeakyRelu : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);
    private Tensor? _input;

    public LeakyRelu(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "LeakyRelu's negative slope must be a finite number, e.g. 0.01.");
        }
        NegativeSlope = negativeSlope;
    }

    public float NegativeSlope { get; }

    // x (any) -> y (same shape)
    public override Tensor Forward(Tensor input)
    {
        _input = input;
        _output.Resize(input.Shape);
        Select(input.Span, input.Span, NegativeSlope, _output.Span);
        return _output;
    }

    // dX = dY where x > 0, else negativeSlope * dY.
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException("LeakyRelu: Backward called before Forward.");
        if (gradOutput.Length != input.Length)
        {
            throw new ArgumentException($"LeakyRelu expects gradOutput shaped like its last output {_output}; got {gradOutput}.", nameof(gradOutput));
        }
        if (!NeedsInputGradient)
        {
            return _gradInput.Resize(0);
        }
        _gradInput.Resize(input.Shape);
        Select(input.Span, gradOutput.Span, NegativeSlope, _gradInput.Span);
        return _gradInput;
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
