// CounterNormal against the same independent Python reference as RandomSourceTests (element 2p and 2p + 1 are the
// Box-Muller pair of mix(key + (2p + 1) γ) and mix(key + (2p + 2) γ)), its moments, and position independence:
// any stretch filled on its own equals the same stretch of the whole stream.
using VaeOnnx.Runtime.Core.Randomness;

namespace VaeOnnx.Tests.Runtime.Core.Randomness;

public sealed class CounterNormalTests
{
    private const ulong Key = 0x0123456789ABCDEFUL;

    [Test]
    public void Elements_match_the_reference()
    {
        float[] values = [.. new long[] { 0, 1, 2, 5, 1_000_001 }.Select(i => CounterNormal.Value(Key, i))];

        Assert.That(values, Is.EqualTo(new[] { 1.1186820268630981f, -1.9248120784759521f, -1.2042171955108643f, 1.5895049571990967f, -1.251673936843872f }));
    }

    [Test]
    public void A_stretch_filled_alone_equals_the_same_stretch_of_the_whole()
    {
        var whole = new float[1001];
        CounterNormal.Fill(Key, 0, whole);

        foreach (var (first, length) in new[] { (0, 1), (1, 1), (7, 10), (8, 9), (500, 501) })
        {
            var part = new float[length];
            CounterNormal.Fill(Key, first, part);
            Assert.That(part, Is.EqualTo(whole.AsSpan(first, length).ToArray()), $"elements {first} .. {first + length - 1}");
        }
        Assert.That(CounterNormal.Value(Key, 999), Is.EqualTo(whole[999]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CounterNormal.Fill(Key, -1, new float[2]));
    }

    [Test]
    public void Draws_are_standard_normal_and_keys_are_independent()
    {
        var a = new float[200_000];
        var b = new float[200_000];
        CounterNormal.Fill(Key, 0, a);
        CounterNormal.Fill(Key + 1, 0, b);

        double mean = a.Average(v => (double)v);
        double variance = a.Average(v => ((double)v - mean) * ((double)v - mean));
        double correlation = a.Zip(b, (x, y) => (double)x * y).Average();
        TestContext.Out.WriteLine($"mean {mean:F4}, variance {variance:F4}, correlation of neighbouring keys {correlation:F4} (tolerances 0.012, 0.012, 0.012)");
        Assert.That(Math.Abs(mean), Is.LessThan(0.012), "about 5 standard errors");
        Assert.That(Math.Abs(variance - 1), Is.LessThan(0.012));
        Assert.That(Math.Abs(correlation), Is.LessThan(0.012));
    }
}
