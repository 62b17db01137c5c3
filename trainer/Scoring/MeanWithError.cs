// A mean with its standard error (sample standard deviation / sqrt(n)), for reporting per-image scores in nats.
namespace VaeOnnx.Trainer.Scoring;

/// <summary>Mean and standard error (sample standard deviation / sqrt(n)) of a set of per-image numbers, in nats.</summary>
public readonly record struct MeanWithError(double Mean, double StandardError, int Count)
{
    public static MeanWithError Of(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("A mean needs at least one value.", nameof(values));
        }
        double mean = values.Average();
        double variance = values.Count > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) : 0;
        return new MeanWithError(mean, Math.Sqrt(variance / values.Count), values.Count);
    }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Mean:F3} ± {StandardError:F3}");
}
