// The use-case layer without the command line: a new run prepared, trained and finished through a silent view leaves
// every file FinishedRun names; a folder that already holds a run is refused before any data is read; a resumed run
// continues from its folder's checkpoint with a higher epoch count; RunFolder.Open applies the overrides to the run's
// own data request and nothing else.
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Runs;

public sealed class TrainingRunTests
{
    private static TrainingConfig Tiny(int epochs) => new()
    {
        Architecture = VaeKind.Mlp,
        Hidden = 8,
        Epochs = epochs,
        BatchSize = 16,
        Seed = 3,
        Data = new DatasetRequest { Dataset = "shapes", Height = 8, Width = 8, TrainLimit = 64, TestLimit = 16 },
    };

    [Test]
    public void A_run_is_prepared_trained_and_finished_without_the_command_line()
    {
        using var folder = new TemporaryFolder();
        using ComputeDevice cpu = ComputeDevice.Open(DeviceRequest.CpuName);
        var environment = new RunEnvironment(cpu);
        string run = folder.File("run");
        var view = new SilentView();

        TrainingResult result = TrainingRun.Prepare(Tiny(epochs: 1), run, environment).Train(StopSignal.Manual(), view);

        Assert.That(result.Outcome.Kind, Is.EqualTo(TrainingOutcomeKind.Completed), result.Outcome.Message);
        Assert.That(view.Seen, Is.EqualTo(new[] { $"started {run}", "checked True", "ended Completed" }));
        Assert.That(result.Finished!.Files, Has.Count.GreaterThanOrEqualTo(8));
        Assert.That(result.Finished.Files.Where(f => !File.Exists(Path.Combine(run, f))), Is.Empty, "every file named is there");
        TrainingConfig written = TrainingConfig.FromJson(File.ReadAllText(Path.Combine(run, RunFiles.Config)), RunFiles.Config);
        Assert.That(written.LatentSize, Is.EqualTo(TrainingConfig.DefaultLatentSize(VaeKind.Mlp)), "config.json records the resolved default");

        var again = Assert.Throws<CliUsageException>(() => TrainingRun.Prepare(Tiny(epochs: 1) with { Data = new DatasetRequest { Dataset = "missing-set" } }, run, environment))!;
        Assert.That(again.Message, Does.Contain("already holds a run").And.Contain("--resume"), "refused before the (unknown) dataset is read");

        TrainingRun resumed = TrainingRun.Resume(run, epochs: 2, dataFolder: null, environment);
        Assert.That(resumed.IsResumed);
        TrainingResult continued = resumed.Train(StopSignal.Manual(), new SilentView());
        Assert.That(continued.Outcome.Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        Assert.That(RunFolder.Open(run).Checkpoint.State.EpochsDone, Is.EqualTo(2));
    }

    [Test]
    public void A_run_folder_opens_with_its_data_as_trained_or_overridden()
    {
        string fixture = Path.Combine(RepositoryPaths.Root, "tests", "Trainer", "Training", "Fixtures", "checkpoint-abea330", "mlp");
        RunFolder run = RunFolder.Open(fixture);
        Assert.That(run.DataRequest(DataOverrides.None), Is.EqualTo(run.Config.Data));

        var overrides = new DataOverrides { TestLimit = 3, TrainLimit = 1, Binarize = Binarization.Static, AllLabels = true, DataFolder = "elsewhere" };
        DatasetRequest changed = run.DataRequest(overrides);
        Assert.That(changed, Is.EqualTo(run.Config.Data with { TestLimit = 3, TrainLimit = 1, Binarize = Binarization.Static, Labels = null, DataFolder = "elsewhere" }));

        DatasetSplits data = run.LoadData(new DataOverrides { TestLimit = 3 }, downloader: null);
        Assert.That((data.Test.Count, data.Train.Count, data.Test.Height), Is.EqualTo((3, 16, 4)));
    }
}
