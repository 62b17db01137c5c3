// The anomaly demo as a use case: analysing an existing run (a copy of the mlp fixture) trains nothing, scores every
// set through the caller's view and writes the report, the pictures and a calibration that matches the run's model.
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Anomaly;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Runs;

public sealed class AnomalyDemoTests
{
    [Test]
    public void An_existing_run_is_analysed_without_training()
    {
        using var folder = new TemporaryFolder();
        string fixture = Path.Combine(RepositoryPaths.Root, "tests", "Trainer", "Training", "Fixtures", "checkpoint-abea330", "mlp");
        foreach (string file in Directory.GetFiles(fixture))
        {
            File.Copy(file, folder.File(Path.GetFileName(file)));
        }
        var view = new SilentView();
        var options = new AnomalyDemoOptions { Model = folder.Path, SyntheticCount = 4, Samples = 2, TestLimit = 8 };

        AnomalyDemoResult result = AnomalyDemo.Run(options, training: null, downloader: null, StopSignal.Manual(), view);

        Assert.That(result.Training, Is.Null);
        Assert.That(view.Seen, Has.Count.EqualTo(1).And.All.StartWith("scored"));
        Assert.That(result.Analysis!.Files.Select(Path.GetFileName), Is.EquivalentTo(new[]
        {
            AnomalyReportFiles.JsonFile, AnomalyReportFiles.MarkdownFile, AnomalyPictures.HistogramsFile, AnomalyPictures.ExtremesFile, ScoreCalibration.FileName,
        }));
        Assert.That(result.Analysis.Files.All(File.Exists));
        Assert.DoesNotThrow(() => ScoreCalibration.TryLoad(folder.Path)!.CheckMatches(folder.Path));
        Assert.That(result.Analysis.Description, Does.StartWith("mlp VAE (latent 2)"));
    }

    [Test]
    public void Training_needs_an_environment_and_bad_settings_fail_first()
    {
        Assert.Throws<ArgumentNullException>(() => AnomalyDemo.Run(new AnomalyDemoOptions(), null, null, StopSignal.Manual(), new SilentView()));
        var e = Assert.Throws<VaeOnnx.Runtime.Core.Errors.CliUsageException>(() =>
            AnomalyDemo.Run(new AnomalyDemoOptions { Samples = 0 }, null, null, StopSignal.Manual(), new SilentView()))!;
        Assert.That(e.Message, Is.EqualTo(ScoreSamples.Problem(0, "--samples")));
    }
}
