// One plot axis: a data range widened to "nice" round bounds with a tick step of 1, 2 or 5 times a power of ten,
// and tick labels formatted with just enough decimals. Non-finite values must be filtered out by the caller.
// It does not do logarithmic axes or dates.
using System.Globalization;

using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Trainer.Reports.Plotting;

public readonly record struct AxisScale(double Min, double Max, double Step)
{
    /// <summary>Round bounds covering [<paramref name="low"/>, <paramref name="high"/>] with about
    /// <paramref name="targetTicks"/> intervals; <paramref name="integer"/> keeps the step a whole number.</summary>
    public static AxisScale Nice(double low, double high, int targetTicks = 5, bool integer = false)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low > high)
        {
            throw new ArgumentException($"Axis range [{low}, {high}] must be finite with low <= high.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(targetTicks, 1);
        if (high - low < 1e-12 * Math.Max(1, Math.Abs(high)))
        {
            double pad = low == 0 ? 1 : Math.Abs(low) * 0.1;
            (low, high) = (low - pad, high + pad);
        }
        double rough = (high - low) / targetTicks;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double residual = rough / magnitude;
        double step = (residual <= 1.5 ? 1 : residual <= 3 ? 2 : residual <= 7 ? 5 : 10) * magnitude;
        if (integer)
        {
            step = Math.Max(1, Math.Round(step));
        }
        // Small tolerances keep a bound that is already round (e.g. 0.3 computed as 0.30000000000000004) from gaining a tick.
        double min = Math.Floor(low / step + 1e-9) * step;
        double max = Math.Ceiling(high / step - 1e-9) * step;
        return new AxisScale(min, max, step);
    }

    public IEnumerable<double> Ticks()
    {
        int count = (int)Math.Round((Max - Min) / Step);
        for (int i = 0; i <= count; i++)
        {
            double value = Min + i * Step;
            yield return Math.Abs(value) < Step * 1e-9 ? 0 : value;
        }
    }

    /// <summary>A tick label: fixed decimals matching the step, or exponent form for very large or small values.</summary>
    public string Format(double value)
    {
        double largest = Math.Max(Math.Abs(Min), Math.Abs(Max));
        if (largest >= 1e6 || (Step < 1e-4 && largest < 1e-3))
        {
            return value.ToString("0.##e0", CultureInfo.InvariantCulture);
        }
        int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(Step) + 1e-9));
        return value.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>Where <paramref name="value"/> falls between <paramref name="from"/> (at Min) and <paramref name="to"/> (at Max).</summary>
    public int Map(double value, int from, int to) => (int)Math.Round(from + (value - Min) / (Max - Min) * (to - from));
}
