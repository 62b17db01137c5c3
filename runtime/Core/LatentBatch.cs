// A batch of latent vectors: (Count, LatentSize) floats, row-major. What sampling and interpolation produce and what
// decoding takes; it knows its shape so callers never restate L. It does not copy on construction.
namespace VaeOnnx.Runtime.Core;

/// <summary>A batch of latent vectors z: (Count, LatentSize) floats, row-major; what sampling and interpolation produce and decoding takes.</summary>
public sealed class LatentBatch
{
    /// <summary>Wraps <paramref name="values"/> (not copied) as <paramref name="count"/> vectors of <paramref name="latentSize"/>.</summary>
    /// <param name="values">count × latentSize floats, (N, L) row-major.</param>
    /// <param name="count">Vectors in the batch (N), at least 1.</param>
    /// <param name="latentSize">Dimensions of each vector (L), at least 1.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold N × L floats, or a size is below 1.</exception>
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

    /// <summary>Vectors in the batch (N).</summary>
    public int Count { get; }

    /// <summary>Dimensions of each vector (L).</summary>
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

    /// <summary>"LatentBatch(N×L)".</summary>
    public override string ToString() => $"LatentBatch({Count}×{LatentSize})";
}
