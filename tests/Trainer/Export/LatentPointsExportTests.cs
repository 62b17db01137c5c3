// What the export leaves for the service's latent map and examples: latent-points.json holds, for evenly spaced test
// images, exactly the network's posterior means (the same numbers RunReports.Means computes) with their labels and
// indices; examples/ holds the first test image of each label, in label order. (Exporting from a run folder whose test
// images cannot be loaded: tests/Trainer/Runs/RunFolderExportTests.cs.)
using VaeOnnx.Runtime.Core.Examples;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.LatentMap;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Reports;

namespace VaeOnnx.Tests.Trainer.Export;

public sealed class LatentPointsExportTests
{
    [Test]
    public void WritesTheNetworksMeansOfEvenlySpacedTestImagesAndOneExamplePerLabel()
    {
        VaeNetwork network = VaeNetwork.Create(VaeArchitecture.Conv(1, 12, 12, latentSize: 3));
        network.ResetParameters(new RandomSource(5));
        ImageDataset test = SyntheticShapes.Generate(2500, 1, 12, 12, seed: 9);
        using var folder = new TemporaryFolder();

        var written = LatentPointsExport.Write(network, test, "shapes", folder.Path);

        var points = LatentPoints.TryLoad(folder.Path)!;
        int[] indices = LatentPointsExport.EvenlySpaced(2500, LatentPointsExport.PointCount);
        Assert.Multiple(() =>
        {
            Assert.That(written[0], Is.EqualTo(LatentPoints.PathIn(folder.Path)));
            Assert.That(points.Count, Is.EqualTo(LatentPointsExport.PointCount));
            Assert.That(points.Indices, Is.EqualTo(indices));
            Assert.That(points.Labels, Is.EqualTo(indices.Select(i => test.Labels[i])));
            Assert.That(points.LabelNames, Is.EqualTo(test.LabelNames));
            Assert.That(points.Means, Is.EqualTo(RunReports.Means(network, test.Select(indices, "sample"))), "the network's means, bit for bit");
            Assert.That(points.Source, Is.EqualTo("shapes test split: 1000 of 2500 images, evenly spaced"));
        });

        var examples = ModelExamples.List(folder.Path);
        var labelsPresent = test.Labels.Distinct().Order().ToArray();
        Assert.That(examples.Select(e => e.Label), Is.EquivalentTo(labelsPresent.Take(LatentPointsExport.ExampleCount).Select(l => test.LabelNames[l])));
        foreach (var example in examples)
        {
            int label = test.LabelNames.ToList().IndexOf(example.Label);
            int first = Array.IndexOf(test.Labels, label);
            var expected = ImageConversion.FromPlanar(test.Image(first), 1, 12, 12);
            Assert.That(ImageFile.Decode(File.ReadAllBytes(example.Path)).Pixels, Is.EqualTo(expected.Pixels), example.Name);
        }
    }

    [TestCase(10000, 1000, new[] { 0, 10, 20 })]
    [TestCase(2500, 1000, new[] { 0, 2, 5 })]
    [TestCase(7, 1000, new[] { 0, 1, 2 })]
    public void IndicesAreEvenlySpacedAndDistinct(int count, int wanted, int[] start)
    {
        int[] indices = LatentPointsExport.EvenlySpaced(count, wanted);
        Assert.That(indices, Has.Length.EqualTo(Math.Min(count, wanted)));
        Assert.That(indices.Take(3), Is.EqualTo(start));
        Assert.That(indices, Is.Ordered.Ascending.And.Unique);
        Assert.That(indices[^1], Is.LessThan(count));
    }
}
