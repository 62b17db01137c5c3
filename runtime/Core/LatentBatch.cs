// A batch of latent vectors: (Count, LatentSize) floats, row-major. What sampling and interpolation produce and what
// decoding takes; it knows its shape so callers never restate L. It does not copy on construction.
namespace VaeOnnx.Runtime.Core;

public sealed class LatentBatch
{
    public LatentBatch(float[] values, int count, int latentSize)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(latentSize, 1);
        if ((long)count * latentSize != values.Length)
        {
            throw new ArgumentException($"values has {values.Length} floats; (N, L) = ({count}, {latentSize}) needs {(long)count * latentSize}.", nameof(values));
        }
        (Values, Count, LatentSize) = (values, count, latentSize);
    }

    /// <summary>All values, (N, L) row-major.</summary>
    public float[] Values { get; }

    public int Count { get; }

    public int LatentSize { get; }

    /// <summary>Latent vector <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return Values.AsSpan(index * LatentSize, LatentSize);
        }
    }

    public override string ToString() => $"LatentBatch({Count}×{LatentSize})";
}
