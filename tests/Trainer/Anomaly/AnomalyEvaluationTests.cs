// The anomaly demonstration's sets and measurements on a small linear model whose decoder bias strongly prefers dark
// pixels, so dim images are "normal" and bright ones anomalous: the sets are what they claim (labels split, inverted
// = 1 - x, noise in [0, 1], fixed seeds), the threshold is the calibration half's percentile, the AUROCs are those of
// the score lists, and the report files hold the same numbers.
using System.Text.Json;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Tests.Runtime.Core.Scoring;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Anomaly;
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Tests.Trainer.Anomaly;

[TestFixture]
public sealed class AnomalyEvaluationTests
{
    // 40 dim images with labels 0 and 1 (normal) and 10 bright ones with label 2 (held out).
    private static ImageDataset TestSet()
    {
        var random = new Random(3);
        const int count = 50;
        var pixels = new float[count * 64];
        var labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            labels[n] = n < 40 ? n % 2 : 2;
            for (int d = 0; d < 64; d++)
            {
                pixels[n * 64 + d] = (float)(labels[n] == 2 ? 0.7 + 0.3 * random.NextDouble() : 0.2 * random.NextDouble());
            }
        }
        return new ImageDataset("toy/test", 1, 8, 8, pixels, labels, ["a", "b", "c"]);
    }

    [Test]
    public void Sets_hold_what_they_claim()
    {
        var sets = AnomalySets.Build(TestSet(), LabelFilter.Parse("0-1"), syntheticCount: 12, seed: 9);
        var again = AnomalySets.Build(TestSet(), LabelFilter.Parse("0-1"), syntheticCount: 12, seed: 9);

        Assert.That(sets.Normal.Count, Is.EqualTo(40));
        Assert.That(sets.Normal.Labels.Distinct().Order(), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(sets.Anomalies.Select(a => a.Name), Is.EqualTo(new[] { "held-out labels c", "uniform noise", "inverted normal images", "synthetic shapes" }));
        Assert.That(sets.Anomalies[0].Labels, Is.All.EqualTo(2));
        Assert.That(sets.Anomalies.Skip(1).Select(a => a.Count), Is.All.EqualTo(12));
        Assert.That(sets.Anomalies[1].Pixels, Is.All.InRange(0f, 1f));
        Assert.That(sets.Anomalies[2].Pixels.Zip(sets.Normal.Pixels).All(p => p.First == 1 - p.Second), Is.True, "inverted = 1 - x");
        Assert.That(again.Anomalies[1].Pixels, Is.EqualTo(sets.Anomalies[1].Pixels), "noise comes from the seed");
        Assert.Throws<DatasetException>(() => AnomalySets.Build(TestSet(), LabelFilter.Parse("5"), 3, 1));
    }

    [Test]
    public void Measurements_follow_from_the_scores_and_reach_the_report()
    {
        using var folder = new TemporaryFolder("vaeonnx-anomaly");
        var vae = LinearVae.Random(latentSize: 2, channels: 1, height: 8, width: 8, seed: 2, scale: 0.3);
        vae.DecoderBias.AsSpan().Fill(-3); // dark pixels likely, bright ones costly
        using var model = VaeModel.Load(vae.Write(folder.File("model")));
        var sets = AnomalySets.Build(TestSet(), LabelFilter.Parse("0-1"), syntheticCount: 12, seed: 9);

        var results = AnomalyEvaluation.Run(model, sets, ScoreKind.NegativeLogLikelihood, samples: 4, seed: 1, percentile: 95);

        Assert.That(results.Calibration.Count, Is.EqualTo(20), "even indices calibrate");
        Assert.That(results.Normal.Scores, Has.Length.EqualTo(20), "odd indices are the normal set");
        var calibrationScores = Enumerable.Range(0, 20).Select(i => model.Score(sets.Normal.Image(2 * i), 1, 4, 1)[0].NegativeLogLikelihood).ToArray();
        Assert.That(results.Calibration.Threshold, Is.EqualTo(Percentile.Of(calibrationScores, 95)));
        var rows = results.Rows;
        foreach (var (row, set) in rows.Skip(1).Zip(results.Anomalies))
        {
            Assert.That(row.Auroc, Is.EqualTo(Auroc.Of(results.Normal.Scores, set.Scores)));
            TestContext.Out.WriteLine($"{row.Name}: mean {row.Score}, AUROC {row.Auroc:F3}, flagged {row.FlaggedFraction:P0}");
        }
        Assert.That(rows[1].Auroc, Is.EqualTo(1.0), "bright held-out images all score above the dim normal ones");
        Assert.That(rows[0].FlaggedFraction, Is.EqualTo(results.Normal.Scores.Count(s => s > results.Calibration.Threshold) / 20.0));

        var written = AnomalyReportFiles.Write(results, folder.Path, model.Folder, "toy model");
        using var json = JsonDocument.Parse(File.ReadAllBytes(written[0]));
        var sets0 = json.RootElement.GetProperty("sets");
        Assert.That(sets0.GetArrayLength(), Is.EqualTo(5));
        Assert.That(sets0[1].GetProperty("auroc").GetDouble(), Is.EqualTo(1.0));
        Assert.That(json.RootElement.GetProperty("model").GetString(), Is.EqualTo(model.Folder));
        string[] names = [.. json.RootElement.EnumerateObject().Select(p => p.Name), .. sets0[0].EnumerateObject().Select(p => p.Name)];
        Assert.That(names, Has.All.Matches("^[a-z0-9]+(_[a-z0-9]+)*$"), "a file: the contract's snake_case names (VaeContract.FileJsonNaming)");
        TestContext.Out.WriteLine(File.ReadAllText(written[1]));
        Assert.That(File.ReadAllText(written[1]), Does.Contain("| held-out labels c | 10 |"));

        var pictures = AnomalyPictures.Write(results, folder.Path);
        var histograms = ImageFile.Read(pictures[0]);
        var extremes = ImageFile.Read(pictures[1]);
        Assert.That((histograms.Width, histograms.Height), Is.EqualTo((2 * 520, 2 * 340)), "four anomaly sets: 2 x 2 panels");
        Assert.That(extremes.Width, Is.GreaterThan(8 * 16), "8 columns of 2x-scaled 8x8 tiles");
    }
}
