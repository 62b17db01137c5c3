// The p-th percentile of a sample by linear interpolation between order statistics (NumPy's default 'linear',
// Excel's PERCENTILE.INC, Hyndman and Fan's type 7): h = (n - 1) p / 100, value = x[floor h] + (h - floor h)
// (x[floor h + 1] - x[floor h]) on the sorted values. So p = 0 is the minimum, p = 100 the maximum.
// It deliberately has no other estimator: calibration.json records only that this one was used.
namespace VaeOnnx.Runtime.Core.Scoring;

/// <summary>The p-th percentile of a sample by linear interpolation between order statistics (NumPy's default, Hyndman and Fan's type 7).</summary>
public static class Percentile
{
    /// <summary>The <paramref name="percentile"/>-th percentile of <paramref name="values"/>: 0 is the minimum, 100 the maximum.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or holds a non-finite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percentile"/> is not in [0, 100].</exception>
    public static double Of(IReadOnlyCollection<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A percentile needs at least one value.", nameof(values));
        }
        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, $"The percentile is {percentile}; use a number from 0 to 100 (e.g. 99).");
        }
        var sorted = values.ToArray();
        foreach (double v in sorted)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"A value is {v}; percentiles need finite values.", nameof(values));
            }
        }
        Array.Sort(sorted);
        double h = (sorted.Length - 1) * percentile / 100;
        int low = (int)Math.Floor(h);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
    }
}
