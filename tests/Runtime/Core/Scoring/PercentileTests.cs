// The percentile rule (linear interpolation between order statistics) on hand-made cases.
using VaeOnnx.Runtime.Core.Scoring;

namespace VaeOnnx.Tests.Runtime.Core.Scoring;

[TestFixture]
public sealed class PercentileTests
{
    [Test]
    public void Percentile_interpolates_between_order_statistics()
    {
        double[] values = [5, 1, 4, 2, 3];
        Assert.That(Percentile.Of(values, 0), Is.EqualTo(1));
        Assert.That(Percentile.Of(values, 50), Is.EqualTo(3));
        Assert.That(Percentile.Of(values, 100), Is.EqualTo(5));
        Assert.That(Percentile.Of(values, 90), Is.EqualTo(4.6).Within(1e-12), "h = 4 * 0.9 = 3.6: 4 + 0.6 * (5 - 4)");
        Assert.That(Percentile.Of([7.0], 99), Is.EqualTo(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.Of(values, 101));
        Assert.Throws<ArgumentException>(() => Percentile.Of(Array.Empty<double>(), 50));
    }
}
