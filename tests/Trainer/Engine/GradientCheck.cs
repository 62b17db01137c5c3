// Finite-difference gradient checking for the engine's layers and losses.
// The engine computes in float32, so the check uses central differences of a float forward pass whose probe loss
// is accumulated in double, with a perturbation large enough that float rounding (~1e-7 relative) divided by 2h
// stays far below the tolerance, and small enough that the O(h^2) truncation error does too. The perturbation
// actually applied is measured after rounding to float ((float)(x + h) - (float)(x - h)), not assumed.
// Errors are relative to max(|numeric|, |analytic|, floor), the floor being a fraction of the largest analytic
// gradient, so that near-zero entries compare on the tensor's scale instead of amplifying noise.
using VaeOnnx.Trainer.Engine;

namespace VaeOnnx.Tests.Trainer.Engine;

internal static class GradientCheck
{
    /// <summary>
    /// Probes up to <paramref name="maxProbes"/> elements of <paramref name="variable"/> (all of them when it is small),
    /// compares d(loss)/d(variable) by central differences with <paramref name="analytic"/>, prints the largest error
    /// and asserts it is within <paramref name="tolerance"/>. Returns the largest error.
    /// </summary>
    public static double Check(string label, Func<double> loss, float[] variable, int length, float[] analytic,
        double step, double tolerance, int maxProbes = 96, ulong seed = 1)
    {
        Assert.That(analytic, Has.Length.GreaterThanOrEqualTo(length), $"{label}: analytic gradient too short");
        double largest = 0;
        for (int i = 0; i < length; i++)
        {
            largest = Math.Max(largest, Math.Abs(analytic[i]));
        }
        double floor = Math.Max(1e-2 * largest, 1e-6);

        var pick = new RandomSource(seed);
        int probes = Math.Min(length, maxProbes);
        double worst = 0;
        int worstIndex = -1;
        double worstNumeric = 0;
        for (int p = 0; p < probes; p++)
        {
            int i = probes == length ? p : pick.NextInt(length);
            float original = variable[i];
            float plus = (float)(original + step);
            float minus = (float)(original - step);
            variable[i] = plus;
            double lossPlus = loss();
            variable[i] = minus;
            double lossMinus = loss();
            variable[i] = original;
            double numeric = (lossPlus - lossMinus) / ((double)plus - minus);
            double error = Math.Abs(numeric - analytic[i]) / Math.Max(Math.Max(Math.Abs(numeric), Math.Abs(analytic[i])), floor);
            if (error > worst || double.IsNaN(error))
            {
                worst = double.IsNaN(error) ? double.PositiveInfinity : error;
                worstIndex = i;
                worstNumeric = numeric;
            }
        }
        loss(); // leave the layer's buffers as the unperturbed variable gives them
        string report = $"{label}: {probes} probes, max relative error {worst:E2} (tolerance {tolerance:E1})" +
            (worstIndex >= 0 ? $" at [{worstIndex}]: numeric {worstNumeric:G6}, analytic {analytic[worstIndex]:G6}" : "");
        TestContext.Out.WriteLine(report);
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance), report);
        return worst;
    }

    /// <summary>sum_i output[i] * weights[i] in double: a scalar probe loss whose gradient with respect to output is weights.</summary>
    public static double Dot(Tensor output, Tensor weights)
    {
        Assert.That(output.Length, Is.EqualTo(weights.Length), "probe weights must match the output");
        ReadOnlySpan<float> o = output.Span, w = weights.Span;
        double sum = 0;
        for (int i = 0; i < o.Length; i++)
        {
            sum += (double)o[i] * w[i];
        }
        return sum;
    }
}
