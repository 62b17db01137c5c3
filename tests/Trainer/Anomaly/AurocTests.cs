// AUROC (midranks for ties) on hand-made cases and against a brute-force count over all pairs.
using VaeOnnx.Trainer.Anomaly;

namespace VaeOnnx.Tests.Trainer.Anomaly;

[TestFixture]
public sealed class AurocTests
{
    [Test]
    public void Auroc_of_hand_made_cases()
    {
        Assert.That(Auroc.Of([1, 2, 3], [4, 5]), Is.EqualTo(1.0), "perfect separation");
        Assert.That(Auroc.Of([4, 5], [1, 2, 3]), Is.EqualTo(0.0), "reversed");
        Assert.That(Auroc.Of([2, 2, 2], [2, 2]), Is.EqualTo(0.5), "all tied");
        Assert.That(Auroc.Of([1, 3], [2, 4]), Is.EqualTo(0.75), "3 of 4 pairs ordered");
        Assert.That(Auroc.Of([1, 2], [2, 3]), Is.EqualTo(0.875), "one tied pair counts one half: (3 + 0.5) / 4");
        Assert.Throws<ArgumentException>(() => Auroc.Of([], [1]));
        Assert.Throws<ArgumentException>(() => Auroc.Of([1], [double.NaN]));
    }

    [Test]
    public void Auroc_equals_the_pairwise_count_on_random_scores_with_ties()
    {
        var random = new Random(5);
        var normal = Enumerable.Range(0, 300).Select(_ => (double)random.Next(50)).ToArray();
        var anomalous = Enumerable.Range(0, 200).Select(_ => (double)random.Next(20, 70)).ToArray();
        double pairs = 0;
        foreach (double a in anomalous)
        {
            foreach (double n in normal)
            {
                pairs += a > n ? 1 : a == n ? 0.5 : 0;
            }
        }
        double expected = pairs / (normal.Length * anomalous.Length);
        double actual = Auroc.Of(normal, anomalous);
        TestContext.Out.WriteLine($"pairwise {expected:R}, ranks {actual:R}");
        Assert.That(actual, Is.EqualTo(expected).Within(1e-12));
    }
}
