// A lock-free fixed-bucket histogram of durations in seconds, shaped like a Prometheus histogram (cumulative buckets, sum, count).
// It does not compute quantiles: Prometheus does that from the buckets.
namespace VaeOnnx.Runtime.AspNetCore.Metrics;

internal sealed class Histogram
{
    /// <summary>Upper bounds in seconds, from 1 ms (a small decode) to 10 s (a request timing out).</summary>
    public static readonly double[] DefaultBounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;
    private readonly long[] _counts; // per bucket, not cumulative; the last one is +Inf
    private long _sumTicks;

    public Histogram(double[]? bounds = null)
    {
        _bounds = bounds ?? DefaultBounds;
        _counts = new long[_bounds.Length + 1];
    }

    public void Observe(TimeSpan elapsed)
    {
        double seconds = elapsed.TotalSeconds;
        int bucket = _bounds.Length;
        for (int i = 0; i < _bounds.Length; i++)
        {
            if (seconds <= _bounds[i]) { bucket = i; break; }
        }
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumTicks, elapsed.Ticks);
    }

    public long Count
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _counts.Length; i++) total += Volatile.Read(ref _counts[i]);
            return total;
        }
    }

    public double SumSeconds => TimeSpan.FromTicks(Volatile.Read(ref _sumTicks)).TotalSeconds;

    /// <summary>Writes name_bucket (cumulative, with le), name_sum and name_count samples under the given labels.</summary>
    public void WriteTo(PrometheusText text, string name, params (string Name, string Value)[] labels)
    {
        long cumulative = 0;
        for (int i = 0; i <= _bounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            string le = i < _bounds.Length ? PrometheusText.FormatValue(_bounds[i]) : "+Inf";
            text.Sample(name + "_bucket", cumulative, [.. labels, ("le", le)]);
        }
        text.Sample(name + "_sum", SumSeconds, labels);
        text.Sample(name + "_count", cumulative, labels);
    }
}
