// The settings of the binarized-MNIST recipe in the training loop: the iwae objective, resconv, dynamic binarization
// and the cosine learning-rate schedule together, interrupted mid-epoch and resumed, end bit for bit where an
// uninterrupted run ends (the schedule is a function of the position, the noise of K samples per image comes from the
// same generator); Adam's rate follows the cosine; the cosine's length is fixed when the run starts, so a resume that
// raises --epochs keeps it; config.json and the checkpoint carry the new settings, and settings that cannot work are
// refused with the option's name.
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;
using static VaeOnnx.Tests.Trainer.Training.TrainingLoopTests;

namespace VaeOnnx.Tests.Trainer.Training;

public sealed class TrainingRecipeTests
{
    private static TrainingConfig Recipe(int epochs) => TinyConfig(epochs) with
    {
        Architecture = VaeKind.Resconv,
        ResidualBlocks = 1,
        ConvChannels = 4,
        Objective = TrainingObjective.Iwae,
        TrainSamples = 3,
        LearningRateSchedule = LearningRateScheduleKind.Cosine,
        FinalLearningRate = 1e-5,
        Data = TinyConfig(epochs).Data with { Binarize = Binarization.Dynamic },
    };

    [Test]
    public void InterruptedMidEpochAndResumedEqualsUninterrupted()
    {
        TrainingConfig config = Recipe(epochs: 2);
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        using var straightFolder = new TemporaryFolder();
        using var stoppedFolder = new TemporaryFolder();

        TrainingLoop straight = TrainingLoop.Start(config, data, straightFolder.Path, StopSignal.Manual());
        Assert.That(straight.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        Assert.That(straight.Optimizer.Options.LearningRate, Is.EqualTo(new LearningRateSchedule(LearningRateScheduleKind.Cosine, 1e-3, 1e-5, 2).RateAt(1.75)),
            "the last step ran at the rate of its position (epoch 1 + 3/4)");

        var stop = StopSignal.Manual();
        TrainingLoop first = TrainingLoop.Start(config, data, stoppedFolder.Path, stop);
        Assert.That(first.Run(new StopAfterSteps(stop, steps: 5)).Kind, Is.EqualTo(TrainingOutcomeKind.Interrupted));
        Assert.That((first.State.EpochsDone, first.State.BatchesDone), Is.EqualTo((1, 1)));

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(Path.Combine(stoppedFolder.Path, RunFiles.Checkpoint));
        Assert.That(checkpoint.State.Config, Is.EqualTo(config with { LearningRateScheduleEpochs = 2 }), "the checkpoint carries every setting");
        Assert.That(checkpoint.Network.Architecture.ResidualBlocks, Is.EqualTo(1));
        TrainingLoop resumed = TrainingLoop.Resume(checkpoint, null, data, stoppedFolder.Path, StopSignal.Manual());
        Assert.That(resumed.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));

        AssertIdentical(straight, resumed);
        TrainingConfig written = TrainingConfig.FromJson(File.ReadAllText(Path.Combine(stoppedFolder.Path, RunFiles.Config)), "config.json");
        Assert.That(written, Is.EqualTo(config with { LearningRateScheduleEpochs = 2 }));
    }

    [Test]
    public void TheCosineKeepsItsLengthWhenAResumeRaisesTheEpochs()
    {
        TrainingConfig config = Recipe(epochs: 1) with { Objective = TrainingObjective.Elbo, TrainSamples = 1 };
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        using var folder = new TemporaryFolder();
        TrainingLoop.Start(config, data, folder.Path, StopSignal.Manual()).Run(new PlainProgress(TextWriter.Null));

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(Path.Combine(folder.Path, RunFiles.Checkpoint));
        TrainingLoop more = TrainingLoop.Resume(checkpoint, 2, data, folder.Path, StopSignal.Manual());
        Assert.That(more.State.Config.LearningRateScheduleEpochs, Is.EqualTo(1));
        more.Run(new PlainProgress(TextWriter.Null));
        Assert.That(more.Optimizer.Options.LearningRate, Is.EqualTo(1e-5), "past the cosine's end the rate is the final one");
    }

    [Test]
    public void AConfigWrittenBeforeTheseSettingsReadsAsTheDefaultRun()
    {
        string old = """{ "architecture": "conv", "latent_size": 16, "hidden": 400, "learning_rate": 0.001, "batch_size": 128, "epochs": 10 }""";
        TrainingConfig config = TrainingConfig.FromJson(old, "config.json");
        Assert.That((config.Objective, config.TrainSamples, config.LearningRateSchedule, config.ConvChannels, config.ResidualBlocks),
            Is.EqualTo((TrainingObjective.Elbo, 1, LearningRateScheduleKind.Constant, (int?)null, (int?)null)));
        Assert.That(config.ToArchitecture(1, 28, 28), Is.EqualTo(VaeArchitecture.Conv(1, 28, 28, 16)));
        var architecture = System.Text.Json.JsonSerializer.Deserialize<VaeArchitecture>(
            """{ "kind": "conv", "channels": 1, "height": 28, "width": 28, "latent_size": 16, "output": "bernoulli", "hidden": 0, "gaussian_sigma": 0.1 }""",
            JsonOptions.Indented)!;
        Assert.That(architecture, Is.EqualTo(VaeArchitecture.Conv(1, 28, 28, 16)), "a checkpoint's architecture from before resconv");
    }

    public static IEnumerable<TestCaseData> Unusable()
    {
        TrainingConfig conv = new();
        yield return new TestCaseData(conv with { TrainSamples = 5 }, "--train-samples 5").SetArgDisplayNames("samples with elbo");
        yield return new TestCaseData(conv with { Objective = TrainingObjective.Iwae, TrainSamples = 0 }, "--train-samples 0").SetArgDisplayNames("no samples");
        yield return new TestCaseData(conv with { Objective = TrainingObjective.Iwae, TrainSamples = 1025 }, "--train-samples 1025").SetArgDisplayNames("too many samples");
        yield return new TestCaseData(conv with { ResidualBlocks = 2 }, "--res-blocks 2").SetArgDisplayNames("blocks on conv");
        yield return new TestCaseData(conv with { Architecture = VaeKind.Resconv, ResidualBlocks = 0 }, "--res-blocks 0").SetArgDisplayNames("no blocks");
        yield return new TestCaseData(conv with { Architecture = VaeKind.Mlp, ConvChannels = 8 }, "--conv-channels 8").SetArgDisplayNames("channels on mlp");
        yield return new TestCaseData(conv with { ConvChannels = 0 }, "--conv-channels 0").SetArgDisplayNames("no channels");
        yield return new TestCaseData(conv with { FinalLearningRate = 1e-5 }, "--lr-final 1E-05").SetArgDisplayNames("final rate, constant schedule");
        yield return new TestCaseData(conv with { LearningRateSchedule = LearningRateScheduleKind.Cosine, FinalLearningRate = 0.01 }, "--lr-final 0.01").SetArgDisplayNames("final above initial");
        yield return new TestCaseData(conv with { LearningRateScheduleEpochs = 5 }, "--lr-schedule-epochs 5").SetArgDisplayNames("length, constant schedule");
    }

    [TestCaseSource(nameof(Unusable))]
    public void UnusableSettingsNameTheirOption(TrainingConfig config, string start)
    {
        var refused = Assert.Throws<TrainingConfigException>(config.Validate)!;
        TestContext.Out.WriteLine(refused.Message);
        Assert.That(refused.Message, Does.StartWith(start + " is not usable"));
    }
}
