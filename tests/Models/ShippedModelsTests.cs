// The shipped models (models/mnist-conv, models/mnist-mlp-2d) carry what their model cards say: latent-points.json
// holds the posterior means of MNIST test images 0, 10, ..., 9990 (LatentPointsExport.EvenlySpaced) with their labels,
// equal to what the shipped encoder.onnx gives for those images on ONNX Runtime (so the points belong to these graphs);
// examples/ holds the first test image of each digit; calibration.json was made by `runtime calibrate` on test images
// 5000-9999 (nll, k = 16, seed 0, percentile 99) for exactly these graphs (SHA-256), and the service loads all of it.
using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Examples;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.LatentMap;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Export;

namespace VaeOnnx.Tests.Models;

[TestFixture("mnist-conv", 16)]
[TestFixture("mnist-mlp-2d", 2)]
public sealed class ShippedModelsTests(string name, int latentSize)
{
    // The trainer's forward pass and ONNX Runtime agree within 4.8e-7 on these graphs (the cards' export parity).
    private const float Tolerance = 1e-5f;

    private string Folder => Path.Combine(RepositoryPaths.Root, "models", name);

    private static readonly Lazy<(IdxImages Images, int[] Labels)> Test = new(() =>
    {
        string folder = RepositoryPaths.MnistFolder;
        string Find(string file) => File.Exists(Path.Combine(folder, file + ".gz")) ? Path.Combine(folder, file + ".gz") : Path.Combine(folder, file);
        return (IdxReader.ReadImages(Find("t10k-images-idx3-ubyte")), [.. IdxReader.ReadLabels(Find("t10k-labels-idx1-ubyte")).Select(b => (int)b)]);
    });

    [Test]
    public void TheLatentPointsAreTheShippedEncodersMeansOfEveryTenthTestImage()
    {
        var points = LatentPoints.TryLoad(Folder) ?? throw new AssertionException($"{name} has no latent-points.json");
        using var model = VaeModel.Load(Folder);
        points.CheckFits(model.Metadata, LatentPoints.PathIn(Folder));
        var (images, labels) = Test.Value;
        int[] indices = LatentPointsExport.EvenlySpaced(10000, 1000);
        Assert.That(points.LatentSize, Is.EqualTo(latentSize));
        Assert.That(points.Indices, Is.EqualTo(indices));
        Assert.That(points.Labels, Is.EqualTo(indices.Select(i => labels[i])));
        Assert.That(points.LabelNames, Is.EqualTo(Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        var pixels = new float[indices.Length * 784];
        for (int n = 0; n < indices.Length; n++)
            for (int i = 0; i < 784; i++) pixels[n * 784 + i] = images.Pixels[indices[n] * 784 + i] / 255f;
        float[] mu = model.Encode(pixels, indices.Length).Mu;
        float largest = mu.Zip(points.Means, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine($"{name}: largest |mu(ONNX Runtime) - latent-points.json| over {indices.Length} x {latentSize} values: {largest:E2}");
        Assert.That(largest, Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void TheExamplesAreTheFirstTestImageOfEachDigit()
    {
        var examples = ModelExamples.List(Folder);
        var (images, labels) = Test.Value;
        Assert.That(examples.Select(e => e.Label), Is.EqualTo(Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        foreach (var example in examples)
        {
            int first = Array.IndexOf(labels, int.Parse(example.Label, System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(ImageFile.Decode(File.ReadAllBytes(example.Path)).Pixels, Is.EqualTo(images.Pixels.AsSpan(first * 784, 784).ToArray()), example.Name);
        }
    }

    [Test]
    public void TheCalibrationWasMadeForTheseGraphsOnTheSecondHalfOfTheTestSet()
    {
        var calibration = ScoreCalibration.TryLoad(Folder) ?? throw new AssertionException($"{name} has no calibration.json");
        Assert.DoesNotThrow(() => calibration.CheckMatches(Folder), "calibration.json was made for other graphs");
        Assert.That((calibration.Kind, calibration.Samples, calibration.Seed, calibration.Percentile, calibration.Count),
            Is.EqualTo((ScoreKind.NegativeLogLikelihood, 16, 0UL, 99.0, 5000)));
        using var served = new VaeModelInference(VaeModel.Load(Folder));
        Assert.That(served.Calibration, Is.Not.Null);
        Assert.That(served.LatentPoints?.Count, Is.EqualTo(1000));
        Assert.That(served.Examples, Has.Count.EqualTo(10));
    }
}
