// The N(0, 1) noise eps of the posterior draws z = mu + exp(logvar / 2) eps, as a pure function of
// (seed, the image's pixels, sample index, latent index): a counter-based generator (the SplitMix64 output function
// applied to key + counter * golden gamma, two uniforms per Box-Muller pair). So an image gets the same score whatever
// else is in its batch, wherever it sits and however the samples are chunked or spread over threads, and different
// images get independent noise. It is not a cryptographic generator.
namespace VaeOnnx.Runtime.Core.Scoring;

public static class ScoreNoise
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The stream key of one image under <paramref name="seed"/>: seed mixed with a 64-bit FNV-1a hash of its pixel bits.</summary>
    public static ulong KeyFor(ulong seed, ReadOnlySpan<float> image)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (float value in image)
        {
            uint bits = BitConverter.SingleToUInt32Bits(value);
            for (int b = 0; b < 32; b += 8)
            {
                hash = (hash ^ ((bits >> b) & 0xFF)) * 0x100000001B3UL;
            }
        }
        return Mix(Mix(seed) ^ hash);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> ((samples, L) row-major) with eps for samples
    /// firstSample .. firstSample + samples - 1 of the stream <paramref name="key"/>.
    /// </summary>
    public static void Fill(ulong key, long firstSample, int latentSize, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latentSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        if (destination.Length % latentSize != 0)
        {
            throw new ArgumentException($"destination has {destination.Length} values, not a whole number of latent vectors of {latentSize}.", nameof(destination));
        }
        long first = firstSample * latentSize;
        for (int i = 0; i < destination.Length; i++)
        {
            long index = first + i;
            if ((index & 1) == 0 && i + 1 < destination.Length)
            {
                (destination[i], destination[i + 1]) = Pair(key, (ulong)index >> 1);
                i++;
            }
            else
            {
                destination[i] = Value(key, index);
            }
        }
    }

    /// <summary>Element <paramref name="index"/> of the stream: the cosine (even) or sine (odd) half of Box-Muller pair index / 2.</summary>
    public static float Value(ulong key, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var (even, odd) = Pair(key, (ulong)index >> 1);
        return (index & 1) == 0 ? even : odd;
    }

    private static (float Even, float Odd) Pair(ulong key, ulong pair)
    {
        // 53-bit uniforms; u1 in (0, 1] keeps the logarithm finite.
        double u1 = ((Mix(key + (2 * pair + 1) * GoldenGamma) >> 11) + 1) * (1.0 / (1UL << 53));
        double u2 = (Mix(key + (2 * pair + 2) * GoldenGamma) >> 11) * (1.0 / (1UL << 53));
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        return ((float)(radius * cos), (float)(radius * sin));
    }

    // SplitMix64's output function (Steele, Lea and Flood 2014): a bijective 64-bit mixer.
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
