// `evaluate --iw-samples K` on a tiny binarized run: it prints the importance-sampled NLL beside the engine's ELBO, the
// numbers come from the runtime's scoring of the exported graphs (equal to scoring the run folder's own
// encoder.onnx/decoder.onnx with DatasetScoring), the KL of the two implementations agrees, the IWAE estimate is below
// the ELBO of the same draws, and bad values get one-line errors.
using System.Globalization;
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Cli;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Scoring;
using VaeOnnx.Trainer.Training;

using static VaeOnnx.Tests.Support.TrainerCommandLine;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed class EvaluateImportanceSamplingTests
{
    private static readonly string[] Tiny =
        ["--dataset", "shapes", "--image-size", "16", "--train-limit", "128", "--test-limit", "24", "--batch", "32", "--latent", "2", "--seed", "5", "--binarize", "static", "--epochs", "1"];

    private static double Number(string text, string pattern) =>
        double.Parse(Regex.Match(text, pattern).Groups[1].Value, CultureInfo.InvariantCulture);

    [Test]
    public void Iw_samples_reports_the_runtime_scores_of_the_exported_graphs()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        Assert.That(Run([.. Tiny, "--out", run]).Code, Is.EqualTo(0));

        var result = Run("evaluate", "--model", run, "--iw-samples", "64", "--seed", "3");
        Assert.That(result.Code, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("binarized pixels"));
        double nll = Number(result.Output, @"-log p\(x\) = (\d+\.\d+) ± ");
        double elbo = Number(result.Output, @"negative ELBO over the same draws (\d+\.\d+) ± ");
        double engineKl = Number(result.Output, @"negative ELBO \d+\.\d+ nats/image = reconstruction \d+\.\d+ \+ KL (\d+\.\d+)");
        double runtimeKl = Number(result.Output, @"over the same draws .* \+ KL (\d+\.\d+)");
        Assert.That(nll, Is.LessThanOrEqualTo(elbo), "the IWAE estimate is at most the ELBO of the same draws, image by image");
        Assert.That(runtimeKl, Is.EqualTo(engineKl).Within(0.002), "analytic KL: engine vs runtime on the exported encoder (printed to 3 decimals)");

        // The same numbers as scoring the run folder's own exported files through DatasetScoring.
        TrainingConfig config = TrainingCheckpoint.Load(TrainingCheckpoint.PathIn(run)).State.Config;
        ImageDataset test = DatasetLoader.Load(config.Data, null).Test;
        using var model = VaeModel.Load(run);
        var scores = DatasetScoring.Score(model, test, samples: 64, seed: 3);
        var expected = MeanWithError.Of(scores.Select(s => s.NegativeLogLikelihood).ToArray());
        Assert.That(nll, Is.EqualTo(expected.Mean).Within(0.0005), $"printed {nll}, run folder's graphs give {expected}");
    }

    [TestCase("0", "--iw-samples is 0; use 1 to 100000")]
    [TestCase("100001", "--iw-samples is 100001; use 1 to 100000")]
    public void Bad_sample_counts_get_one_line_errors(string k, string expected)
    {
        // Checked before the model is read: the run folder need not exist.
        var result = Run("evaluate", "--model", "no-such-run", "--iw-samples", k);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(result.Error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("error: ").And.Contain(expected));
    }
}
