// Leaky ReLU, y = x for x > 0 else negativeSlope * x, any shape (PyTorch's nn.LeakyReLU; gradient at 0 is negativeSlope).
using System.Numerics;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class LeakyRelu : ActivationLayer
{
    public LeakyRelu(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "LeakyRelu's negative slope must be a finite number, e.g. 0.01.");
        }
        NegativeSlope = negativeSlope;
    }

    public float NegativeSlope { get; }

    private protected override void Activate(ReadOnlySpan<float> x, Span<float> y) => Select(x, x, NegativeSlope, y);

    // dX = dY where x > 0, else negativeSlope * dY.
    private protected override void Differentiate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dY, Span<float> dX) =>
        Select(x, dY, NegativeSlope, dX);

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
