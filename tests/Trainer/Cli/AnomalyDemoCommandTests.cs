// `anomaly-demo` on a tiny shapes run (discs and squares normal, bars held out): it trains through `train`, writes the
// report, the pictures and a calibration.json that matches the run's model, and analysing the same run again with
// --model gives the same numbers (everything is seeded). Bad options get one-line errors before any work.
using System.Text.Json;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Anomaly;
using VaeOnnx.Trainer.Cli;

using static VaeOnnx.Tests.Support.TrainerCommandLine;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed class AnomalyDemoCommandTests
{
    [Test]
    public void Trains_scores_and_writes_a_reproducible_report()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("demo");
        var first = Run("anomaly-demo", "--dataset", "shapes", "--digits", "0-1", "--out", run, "--epochs", "1", "--train-limit", "256", "--test-limit", "90",
            "--latent", "2", "--synthetic", "12", "--samples", "4", "--percentile", "95");
        Assert.That(first.Code, Is.EqualTo(0), first.Error);
        foreach (string name in new[] { AnomalyReportFiles.JsonFile, AnomalyReportFiles.MarkdownFile, AnomalyPictures.HistogramsFile, AnomalyPictures.ExtremesFile,
            ScoreCalibration.FileName, "encoder.onnx", "decoder.onnx" })
        {
            Assert.That(File.Exists(Path.Combine(run, name)), name);
        }
        var calibration = ScoreCalibration.TryLoad(run)!;
        Assert.DoesNotThrow(() => calibration.CheckMatches(run), "the calibration belongs to the run's exported model");
        Assert.That((calibration.Samples, calibration.Percentile, calibration.Kind), Is.EqualTo((4, 95.0, ScoreKind.NegativeLogLikelihood)));

        byte[] report = File.ReadAllBytes(Path.Combine(run, AnomalyReportFiles.JsonFile));
        using (var json = JsonDocument.Parse(report))
        {
            var sets = json.RootElement.GetProperty("sets").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToArray();
            Assert.That(sets, Is.EqualTo(new[] { "normal (labels 0-1)", "held-out labels bar", "uniform noise", "inverted normal images", "synthetic shapes" }));
        }

        var again = Run("anomaly-demo", "--model", run, "--synthetic", "12", "--samples", "4", "--percentile", "95", "--test-limit", "90");
        Assert.That(again.Code, Is.EqualTo(0), again.Error);
        Assert.That(again.Output, Does.Not.Contain("training on labels"));
        Assert.That(File.ReadAllBytes(Path.Combine(run, AnomalyReportFiles.JsonFile)), Is.EqualTo(report), "same run, same seeds: the same report");
    }

    [TestCase("--samples", "0", "--samples is 0; use 1 to 100000")]
    [TestCase("--synthetic", "0", "--synthetic 0 is not usable")]
    [TestCase("--percentile", "101", "--percentile 101 is not usable")]
    public void Bad_options_get_one_line_errors(string option, string value, string expected)
    {
        var result = Run("anomaly-demo", "--out", "never-created", option, value);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(result.Error, Does.StartWith("error: ").And.Contain(expected));
        Assert.That(Directory.Exists("never-created"), Is.False);
    }
}
