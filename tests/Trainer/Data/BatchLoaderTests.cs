// Batching: every epoch visits each image exactly once, the order is a function of the seed only (so runs and
// resumed runs repeat it), partial last batches are kept, and dynamic binarization gives {0, 1} pixels whose mean
// follows the grey levels.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;

namespace VaeOnnx.Tests.Trainer.Data;

public sealed class BatchLoaderTests
{
    [Test]
    public void SameSeedSameOrderAndEveryImageOncePerEpoch()
    {
        ImageDataset data = SyntheticShapes.Generate(50, 1, 8, 8, seed: 3);
        int[][] first = Orders(data, seed: 42, epochs: 3);
        int[][] second = Orders(data, seed: 42, epochs: 3);
        int[][] other = Orders(data, seed: 43, epochs: 3);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(other[0], Is.Not.EqualTo(first[0]));
        Assert.That(first[1], Is.Not.EqualTo(first[0]), "each epoch draws a new order");
        foreach (int[] order in first)
        {
            Assert.That(order.Order(), Is.EqualTo(Enumerable.Range(0, 50)));
        }
    }

    [Test]
    public void OrderDependsOnlyOnTheGeneratorStateAtEpochStart()
    {
        ImageDataset data = SyntheticShapes.Generate(30, 1, 8, 8, seed: 3);
        var random = new RandomSource(7);
        var loader = new BatchLoader(data, 8, random, null);
        loader.StartEpoch();
        ulong[] state = random.GetState();
        loader.StartEpoch();
        int[] expected = loader.Order.ToArray();

        var restored = new RandomSource(999);
        restored.SetState(state);
        var resumed = new BatchLoader(data, 8, restored, null);
        resumed.StartEpoch();
        Assert.That(resumed.Order.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void BatchesCarryTheImagesInOrderWithAPartialLastBatch()
    {
        ImageDataset data = SyntheticShapes.Generate(10, 3, 5, 6, seed: 1);
        var loader = new BatchLoader(data, 4, new RandomSource(1), null);
        loader.StartEpoch();
        Assert.That(loader.BatchCount, Is.EqualTo(3));
        var batch = new Tensor(1);
        Assert.That(loader.FillBatch(2, batch), Is.EqualTo(2));
        Assert.That(batch.Shape.ToArray(), Is.EqualTo(new[] { 2, 3, 5, 6 }));
        Assert.That(batch.Span.Slice(90, 90).ToArray(), Is.EqualTo(data.Image(loader.Order[9]).ToArray()));
    }

    [Test]
    public void DynamicBinarizationIsBernoulliOfTheGreyLevel()
    {
        float[] pixels = Enumerable.Range(0, 64 * 100).Select(i => (i % 64) / 63f).ToArray();
        var data = new ImageDataset("ramp", 1, 8, 8, pixels, new int[100], ["x"]);
        var loader = new BatchLoader(data, 100, null, new RandomSource(5));
        loader.StartEpoch();
        var batch = new Tensor(1);
        loader.FillBatch(0, batch);
        Assert.That(batch.Span.ToArray().Distinct().Order(), Is.EqualTo(new[] { 0f, 1f }));
        double maxDifference = 0;
        for (int p = 0; p < 64; p += 9)
        {
            double mean = Enumerable.Range(0, 100).Average(n => batch.Span[n * 64 + p]);
            maxDifference = Math.Max(maxDifference, Math.Abs(mean - p / 63.0));
        }
        // 100 draws per pixel: a standard error of at most 0.05, so 0.2 is a 4-sigma bound.
        TestContext.Out.WriteLine($"largest |mean - grey level| = {maxDifference:F3} (tolerance 0.2)");
        Assert.That(maxDifference, Is.LessThan(0.2));
    }

    [Test]
    public void LabelFilterParsesRangesAndAppliesToBothSplits()
    {
        Assert.That(LabelFilter.Parse("0-3,5, 7-8").Labels, Is.EqualTo(new[] { 0, 1, 2, 3, 5, 7, 8 }));
        Assert.Throws<FormatException>(() => LabelFilter.Parse("3-1"));
        Assert.Throws<FormatException>(() => LabelFilter.Parse("a"));
        var splits = new DatasetSplits(SyntheticShapes.Generate(60, 1, 8, 8, 1), SyntheticShapes.Generate(30, 1, 8, 8, 2)) { Name = "shapes" };
        DatasetSplits filtered = LabelFilter.Parse("0,2").Apply(splits);
        Assert.That(filtered.Train.Labels, Is.All.Not.EqualTo(1));
        Assert.That(filtered.Test.Labels, Is.All.Not.EqualTo(1));
        Assert.That(filtered.Train.Count, Is.EqualTo(splits.Train.Labels.Count(l => l != 1)));
        var e = Assert.Throws<DatasetException>(() => LabelFilter.Parse("0-4").Apply(splits));
        Assert.That(e!.Message, Does.Contain("Label 3").And.Contain("labels 0-2"));
    }

    private static int[][] Orders(ImageDataset data, ulong seed, int epochs)
    {
        var loader = new BatchLoader(data, 16, new RandomSource(seed), null);
        var orders = new int[epochs][];
        for (int e = 0; e < epochs; e++)
        {
            loader.StartEpoch();
            orders[e] = loader.Order.ToArray();
        }
        return orders;
    }
}
