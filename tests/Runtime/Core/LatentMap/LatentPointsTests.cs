// latent-points.json: what Save writes Parse reads back bit for bit (floats in shortest round-trip form, one point per
// line); every way a file can be unusable is refused with InvalidModelException naming the file, the field and what to
// do; a file of another latent size does not fit the model it is served with; TryLoad is null without a file.
using System.Text;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.LatentMap;

namespace VaeOnnx.Tests.Runtime.Core.LatentMap;

[TestFixture]
public sealed class LatentPointsTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("vaeonnx-points-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private static LatentPoints Sample(int count = 7, int size = 3)
    {
        var random = new Random(3);
        var means = new float[count * size];
        for (int i = 0; i < means.Length; i++) means[i] = (float)(random.NextDouble() * 8 - 4) / (i % 5 + 1);
        means[0] = float.Epsilon;
        means[1] = -1e-30f;
        return new LatentPoints(size, means, [.. Enumerable.Range(0, count).Select(i => i % 3)], [.. Enumerable.Range(0, count).Select(i => 10 * i)],
            ["zero", "one \"quoted\"", "two ✓"], "test split: every 10th");
    }

    [Test]
    public void SaveThenLoadGivesTheSamePointsBitForBit()
    {
        var points = Sample();
        string path = points.Save(_folder);
        Assert.That(path, Is.EqualTo(Path.Combine(_folder, VaeContract.LatentPointsFileName)));
        var loaded = LatentPoints.TryLoad(_folder)!;
        Assert.Multiple(() =>
        {
            Assert.That(loaded.LatentSize, Is.EqualTo(3));
            Assert.That(loaded.Means, Is.EqualTo(points.Means), "float32 values survive the text form exactly");
            Assert.That(loaded.Labels, Is.EqualTo(points.Labels));
            Assert.That(loaded.Indices, Is.EqualTo(points.Indices));
            Assert.That(loaded.LabelNames, Is.EqualTo(points.LabelNames));
            Assert.That(loaded.Source, Is.EqualTo(points.Source));
        });
        string[] lines = File.ReadAllLines(path);
        Assert.That(lines.Count(l => l.TrimStart().StartsWith("{\"index\"", StringComparison.Ordinal)), Is.EqualTo(7), "one line per point");
    }

    [Test]
    public void NoFileIsNull() => Assert.That(LatentPoints.TryLoad(_folder), Is.Null);

    [TestCase("not json", "is not valid JSON")]
    [TestCase("[]", "holds a JSON array, not an object")]
    [TestCase("""{"format": "other", "version": 1}""", "has format 'other'")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 2}""", "format version 2; this runtime reads version 1")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 1, "latent_size": 2, "count": 1, "source": "s", "label_names": ["a"]}""", "lacks the field 'points'")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 1, "latent_size": 2, "count": 2, "source": "s", "label_names": ["a"], "points": [{"index": 0, "label": 0, "mu": [1, 2]}]}""", "holds 1 points but its field 'count' says 2")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 1, "latent_size": 2, "count": 1, "source": "s", "label_names": ["a"], "points": [{"index": 0, "label": 0, "mu": [1]}]}""", "points[0].mu has 1 values; the file's latent_size is 2")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 1, "latent_size": 2, "count": 1, "source": "s", "label_names": ["a"], "points": [{"index": 0, "label": 1, "mu": [1, 2]}]}""", "points[0].label is 1; it must index the 1 label names")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 1, "latent_size": 2, "count": 1, "source": "s", "label_names": ["a"], "points": [{"index": 0, "label": 0, "mu": [1, "x"]}]}""", "points[0].mu[1] is not a finite float32 number")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 1, "latent_size": 2, "count": 1, "source": "s", "label_names": ["a"], "points": [{"index": 0, "label": 0, "mu": [1, 1e39]}]}""", "points[0].mu[1] is not a finite float32 number")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 1, "latent_size": 2, "count": 1, "source": "s", "label_names": ["a"], "points": [{"index": -1, "label": 0, "mu": [1, 2]}]}""", "points[0].index is -1")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 1, "latent_size": 0, "count": 1, "source": "s", "label_names": ["a"], "points": []}""", "field 'latent_size' is 0")]
    [TestCase("""{"format": "vaeonnx.latent-points", "version": 1, "latent_size": 2, "count": 1, "source": "s", "label_names": [], "points": [{"index": 0, "label": 0, "mu": [1, 2]}]}""", "there are 0 label names")]
    public void AnUnusableFileIsRefusedWithWhatToDo(string json, string expected)
    {
        string path = LatentPoints.PathIn(_folder);
        File.WriteAllText(path, json, Encoding.UTF8);
        var error = Assert.Throws<InvalidModelException>(() => LatentPoints.TryLoad(_folder))!;
        Assert.That(error.Message, Does.Contain(expected).And.Contain(path));
        Assert.That(error.Message, Does.Contain("Export the model again"));
    }

    [Test]
    public void PointsOfAnotherLatentSizeDoNotFitTheModel()
    {
        var points = Sample(size: 3);
        var metadata = new VaeMetadata(1, 8, 6, 4, Likelihood.Bernoulli, new Dictionary<string, string>());
        var error = Assert.Throws<InvalidModelException>(() => points.CheckFits(metadata, "models/x/latent-points.json"))!;
        Assert.That(error.Message, Does.Contain("3-dimensional points, but the model's latent size is 4"));
        Assert.DoesNotThrow(() => points.CheckFits(new VaeMetadata(1, 8, 6, 3, Likelihood.Bernoulli, new Dictionary<string, string>()), "p"));
    }

    [Test]
    public void TheConstructorRefusesInconsistentPoints()
    {
        Assert.Throws<ArgumentException>(() => new LatentPoints(2, new float[3], [0, 0], [0, 1], ["a"], "s"));
        Assert.Throws<ArgumentException>(() => new LatentPoints(2, [0, 0, float.NaN, 0], [0, 0], [0, 1], ["a"], "s"));
        Assert.Throws<ArgumentException>(() => new LatentPoints(2, new float[4], [0, 0], [0], ["a"], "s"));
    }
}
