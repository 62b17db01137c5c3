// Small helpers for engine tests: seeded random tensors, copies, and max-difference reports against a tolerance.
using VaeOnnx.Trainer.Engine;

namespace VaeOnnx.Tests.Trainer.Engine;

internal static class TestTensors
{
    public static Tensor Uniform(RandomSource random, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        random.FillUniform(t.Span, low, high);
        return t;
    }

    /// <summary>Uniform in (-high, -low] U [low, high): values kept away from zero, e.g. to stay off ReLU's kink.</summary>
    public static Tensor AwayFromZero(RandomSource random, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        Span<float> s = t.Span;
        for (int i = 0; i < s.Length; i++)
        {
            float magnitude = low + (high - low) * random.NextFloat();
            s[i] = random.NextFloat() < 0.5f ? -magnitude : magnitude;
        }
        return t;
    }

    public static float[] Copy(Tensor t) => t.Span.ToArray();

    /// <summary>Prints and asserts max |actual - expected| <= absolute + relative * |expected| element-wise.</summary>
    public static void AssertClose(string label, ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, double absolute, double relative)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{label}: length");
        double maxAbs = 0, maxRel = 0, worstExcess = double.NegativeInfinity;
        int worst = -1;
        for (int i = 0; i < actual.Length; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(diff))
            {
                diff = double.PositiveInfinity;
            }
            maxAbs = Math.Max(maxAbs, diff);
            maxRel = Math.Max(maxRel, diff / Math.Max(Math.Abs(expected[i]), 1e-30));
            double excess = diff - (absolute + relative * Math.Abs(expected[i]));
            if (excess > worstExcess)
            {
                worstExcess = excess;
                worst = i;
            }
        }
        string report = $"{label}: {actual.Length} values, max abs diff {maxAbs:E2}, max rel diff {maxRel:E2} (tolerance {absolute:E1} + {relative:E1} * |expected|)";
        TestContext.Out.WriteLine(report);
        if (worst >= 0)
        {
            Assert.That(worstExcess, Is.LessThanOrEqualTo(0),
                $"{report}; worst at [{worst}]: actual {actual[worst]:G9}, expected {expected[worst]:G9}");
        }
    }

    public static void AssertClose(string label, ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double absolute, double relative)
    {
        var wide = new double[expected.Length];
        for (int i = 0; i < wide.Length; i++)
        {
            wide[i] = expected[i];
        }
        AssertClose(label, actual, wide, absolute, relative);
    }
}
