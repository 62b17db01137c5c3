// The seeded sequential generator of VaeOnnx: xoshiro256** (Blackman and Vigna 2018) with its state seeded through
// SplitMix64, uniform floats and integers, Box-Muller normals (BoxMuller, both values of a pair used) and Fisher-Yates
// shuffles. The trainer draws initial weights, shuffles, binarisation and reparameterisation noise from it, the
// runtime its latent samples; the same seed gives the same stream on every machine and .NET version, which is what
// makes training runs reproducible bit for bit. Independent streams of one seed come from ForStream.
// It is not thread-safe (one instance per stream) and not cryptographic, and it does not reproduce PyTorch's generator:
// golden tests load PyTorch's weights and noise instead. Position-independent noise is CounterNormal's job.
namespace VaeOnnx.Runtime.Core.Randomness;

/// <summary>The seeded generator of VaeOnnx (xoshiro256** seeded through SplitMix64): the same seed gives the same stream on every machine and .NET version. Not thread-safe, not cryptographic.</summary>
public sealed class RandomSource
{
    /// <summary>Words in <see cref="GetState"/>: four xoshiro words, a has-spare flag, the spare normal's float bits.</summary>
    public const int StateLength = 6;

    private ulong _s0, _s1, _s2, _s3;
    private float _spareGaussian;
    private bool _hasSpare;

    /// <summary>A generator whose state is <paramref name="seed"/> expanded through SplitMix64.</summary>
    public RandomSource(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64.Next(ref x);
        _s1 = SplitMix64.Next(ref x);
        _s2 = SplitMix64.Next(ref x);
        _s3 = SplitMix64.Next(ref x);
    }

    /// <summary>
    /// The stream <paramref name="streamId"/> of <paramref name="seed"/>: seeded with seed XOR streamId, which SplitMix64
    /// scrambles, so distinct ids (constants chosen per use) give unrelated streams of one user seed.
    /// </summary>
    public static RandomSource ForStream(ulong seed, ulong streamId) => new(seed ^ streamId);

    /// <summary>The full generator state, for checkpoints (<see cref="StateLength"/> words).</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3, _hasSpare ? 1UL : 0UL, BitConverter.SingleToUInt32Bits(_spareGaussian)];

    /// <summary>Restores a state <see cref="GetState"/> returned, so the stream continues exactly.</summary>
    /// <exception cref="ArgumentException"><paramref name="state"/> is not <see cref="StateLength"/> words long.</exception>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateLength)
        {
            throw new ArgumentException($"RandomSource state has {StateLength} words; got {state.Length}.", nameof(state));
        }
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _hasSpare = state[4] != 0;
        _spareGaussian = BitConverter.UInt32BitsToSingle((uint)state[5]);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 24 bits of precision.</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, maxExclusive), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        ulong bound = (ulong)maxExclusive;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold)
            {
                return (int)(r % bound);
            }
        }
    }

    /// <summary>Standard normal sample: the cosine half of a BoxMuller pair, then its sine half on the next call.</summary>
    public float NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }
        ulong first = NextUInt64();
        var (cos, sin) = BoxMuller.Pair(first, NextUInt64());
        _spareGaussian = sin;
        _hasSpare = true;
        return cos;
    }

    /// <summary>Fills <paramref name="destination"/> with standard normal samples, in order (as repeated <see cref="NextGaussian"/>).</summary>
    public void FillGaussian(Span<float> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = NextGaussian();
        }
    }

    /// <summary>Fills <paramref name="destination"/> with uniform samples in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public void FillUniform(Span<float> destination, float low, float high)
    {
        float width = high - low;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = low + width * NextFloat();
        }
    }

    /// <summary>Fisher-Yates shuffle.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
