// SplitMix64 (Steele, Lea and Flood 2014): the 64-bit mixer every VaeOnnx generator is keyed through. Next walks
// the sequential generator (seeding RandomSource's state); Mix is its bijective output function, used on its own
// by the counter-based CounterNormal and to turn hashes into keys. Not a cryptographic generator.
namespace VaeOnnx.Runtime.Core.Randomness;

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): the 64-bit mixer every VaeOnnx generator is keyed through.</summary>
public static class SplitMix64
{
    /// <summary>The Weyl increment, 2^64 / golden ratio, odd.</summary>
    public const ulong GoldenGamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Advances <paramref name="state"/> by the golden gamma and returns the mixed value.</summary>
    public static ulong Next(ref ulong state) => Mix(state += GoldenGamma);

    /// <summary>The output function: a bijection of 64-bit words with full avalanche.</summary>
    public static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
