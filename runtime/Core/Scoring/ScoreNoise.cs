// The N(0, 1) noise eps of the posterior draws z = mu + exp(logvar / 2) eps, as a pure function of
// (seed, the image's pixels, sample index, latent index): one CounterNormal stream per image, keyed by the seed and
// a hash of the pixels. So an image gets the same score whatever else is in its batch, wherever it sits and however
// the samples are chunked or spread over threads, and different images get independent noise. It is not a
// cryptographic generator.
using VaeOnnx.Runtime.Core.Randomness;

namespace VaeOnnx.Runtime.Core.Scoring;

internal static class ScoreNoise
{
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
        return SplitMix64.Mix(SplitMix64.Mix(seed) ^ hash);
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
        CounterNormal.Fill(key, firstSample * latentSize, destination);
    }
}
