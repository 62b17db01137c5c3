// Counter-based N(0, 1) streams: element i of the stream with key k is a pure function of (k, i), so any stretch of
// a stream can be computed on its own, in any order, on any thread. Pair p is BoxMuller.Pair of
// SplitMix64.Mix(k + (2p + 1) γ) and SplitMix64.Mix(k + (2p + 2) γ) (γ the golden gamma); element 2p is its cosine
// half and 2p + 1 its sine half. Scoring uses it so that an image's posterior noise does not depend on its batch.
// Keys are the caller's business (mix a seed with what identifies the stream through SplitMix64.Mix).
namespace VaeOnnx.Runtime.Core.Randomness;

internal static class CounterNormal
{
    /// <summary>Fills <paramref name="destination"/> with elements firstIndex .. firstIndex + length - 1 of stream <paramref name="key"/>.</summary>
    public static void Fill(ulong key, long firstIndex, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        for (int i = 0; i < destination.Length; i++)
        {
            long index = firstIndex + i;
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

    /// <summary>Element <paramref name="index"/> of stream <paramref name="key"/>.</summary>
    public static float Value(ulong key, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var (cos, sin) = Pair(key, (ulong)index >> 1);
        return (index & 1) == 0 ? cos : sin;
    }

    private static (float Cos, float Sin) Pair(ulong key, ulong pair) =>
        BoxMuller.Pair(SplitMix64.Mix(key + (2 * pair + 1) * SplitMix64.GoldenGamma), SplitMix64.Mix(key + (2 * pair + 2) * SplitMix64.GoldenGamma));
}
