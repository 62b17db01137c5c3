// RandomSource against an independent reference: Blackman and Vigna's xoshiro256** and splitmix64 (their C code,
// xoshiro256starstar.c and splitmix64.c) and Box-Muller written again in Python with arbitrary-precision integers
// and the C library's log, sin and cos (the script is in the comment at the end). The expected numbers are that
// script's output; the trainer's streams (weights, shuffles, noise, checkpoints) depend on them staying exactly so.
using VaeOnnx.Runtime.Core.Randomness;

namespace VaeOnnx.Tests.Runtime.Core.Randomness;

public sealed class RandomSourceTests
{
    [Test]
    public void Words_match_the_reference_xoshiro256_star_star_seeded_by_splitmix64()
    {
        var random = new RandomSource(42);

        ulong[] words = [random.NextUInt64(), random.NextUInt64(), random.NextUInt64(), random.NextUInt64()];

        Assert.That(words, Is.EqualTo(new[] { 0x15780b2e0c2ec716UL, 0x6104d9866d113a7eUL, 0xae17533239e499a1UL, 0xecb8ad4703b360a1UL }));
    }

    [Test]
    public void Normals_are_box_muller_pairs_of_consecutive_words_cosine_first()
    {
        var random = new RandomSource(42);
        var normals = new float[6];

        random.FillGaussian(normals);

        Assert.That(normals, Is.EqualTo(new[] { -1.6132237911224365f, 1.5344873666763306f, 0.7816920280456543f, -0.4001934826374054f, 0.01587129384279251f, -0.12730993330478668f }));
    }

    [Test]
    public void Uniform_floats_are_the_top_24_bits()
    {
        var random = new RandomSource(7);

        float[] values = [random.NextFloat(), random.NextFloat(), random.NextFloat()];

        Assert.That(values, Is.EqualTo(new[] { 0.7005764245986938f, 0.2787511944770813f, 0.8396274447441101f }));
    }

    [Test]
    public void A_stream_is_the_seed_xor_its_id()
    {
        const ulong seed = 1234, stream = 0x0015_E000_0000_0003UL;

        var forStream = RandomSource.ForStream(seed, stream);
        var direct = new RandomSource(seed ^ stream);
        var other = RandomSource.ForStream(seed, stream + 1);

        ulong first = forStream.NextUInt64();
        Assert.That(first, Is.EqualTo(direct.NextUInt64()));
        Assert.That(first, Is.Not.EqualTo(other.NextUInt64()));
    }

    [Test]
    public void Saved_state_resumes_the_stream_exactly_even_between_the_halves_of_a_pair()
    {
        var random = new RandomSource(99);
        random.NextGaussian(); // leaves the sine half waiting
        var state = random.GetState();
        var expected = new float[5];
        random.FillGaussian(expected);

        var restored = new RandomSource(0);
        restored.SetState(state);
        var resumed = new float[5];
        restored.FillGaussian(resumed);

        Assert.That(state, Has.Length.EqualTo(RandomSource.StateLength));
        Assert.That(resumed, Is.EqualTo(expected));
        var error = Assert.Throws<ArgumentException>(() => restored.SetState(new ulong[4]));
        Assert.That(error!.Message, Does.Contain("6 words; got 4"));
    }

    [Test]
    public void Integers_are_in_range_and_shuffles_are_permutations()
    {
        var random = new RandomSource(5);
        var counts = new int[3];
        for (int i = 0; i < 30_000; i++)
        {
            counts[random.NextInt(3)]++;
        }
        var values = Enumerable.Range(0, 50).ToArray();
        random.Shuffle(values);

        TestContext.Out.WriteLine($"NextInt(3) counts over 30000: {string.Join(", ", counts)} (10000 ± 300 each)");
        Assert.That(counts, Is.All.InRange(9_700, 10_300), "about 3.5 standard deviations");
        Assert.That(values.Order(), Is.EqualTo(Enumerable.Range(0, 50)));
        Assert.That(values, Is.Not.EqualTo(Enumerable.Range(0, 50)));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(0));
    }

    [Test]
    public void Splitmix64_matches_its_published_first_outputs()
    {
        ulong state = 0;

        ulong[] outputs = [SplitMix64.Next(ref state), SplitMix64.Next(ref state), SplitMix64.Next(ref state)];

        Assert.That(outputs, Is.EqualTo(new[] { 0xe220a8397b1dcdafUL, 0x6e789e6aa1b965f4UL, 0x06c45d188009454fUL }));
        Assert.That(SplitMix64.Mix(SplitMix64.GoldenGamma), Is.EqualTo(0xe220a8397b1dcdafUL));
    }

    // The reference (Python 3; M = 2^64 - 1, f32 rounds through struct.pack('<f')):
    //   def mix(z): z = ((z ^ z >> 30) * 0xBF58476D1CE4E5B9) & M; z = ((z ^ z >> 27) * 0x94D049BB133111EB) & M; return z ^ z >> 31
    //   seeding: x = seed; s[i] = mix(x := (x + 0x9E3779B97F4A7C15) & M) for i in 0..3
    //   next: r = rotl(s1 * 5 & M, 7) * 9 & M; t = s1 << 17 & M; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
    //   normal pair of words (a, b): u1 = ((a >> 11) + 1) / 2^53; u2 = (b >> 11) / 2^53; r = sqrt(-2 log u1);
    //     (f32(r cos 2πu2), f32(r sin 2πu2)); uniform float: f32((next() >> 40) / 2^24)
}
