// Settings: the KL warm-up schedule, defaults per architecture, validation messages, the JSON round trip that
// config.json and checkpoints rely on, and the latent bound shared with the runtime (VaeContract.MaxLatentSize).
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Training;

public sealed class TrainingConfigTests
{
    [Test]
    public void KlWarmupRisesLinearlyToBeta()
    {
        var config = new TrainingConfig { Beta = 2.0, KlWarmupEpochs = 4 };
        Assert.That(config.KlWeightAt(0), Is.EqualTo(0.0));
        Assert.That(config.KlWeightAt(1), Is.EqualTo(0.5));
        Assert.That(config.KlWeightAt(3.5), Is.EqualTo(1.75));
        Assert.That(config.KlWeightAt(4), Is.EqualTo(2.0));
        Assert.That(config.KlWeightAt(9), Is.EqualTo(2.0));
        Assert.That(new TrainingConfig { Beta = 0.5 }.KlWeightAt(0), Is.EqualTo(0.5), "no warm-up: beta from the first step");
    }

    [Test]
    public void WarmupShowsInTheEpochMetrics()
    {
        TrainingConfig config = TrainingLoopTests.TinyConfig(epochs: 2) with { KlWarmupEpochs = 2 };
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        using var folder = new Support.TemporaryFolder();
        TrainingLoop loop = TrainingLoop.Start(config, data, folder.Path, StopSignal.Manual());
        Assert.That(loop.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        // 4 batches per epoch: the last step of epoch 1 is at 0.75 epochs, of epoch 2 at 1.75 epochs.
        Assert.That(loop.State.History.Select(m => m.KlWeight), Is.EqualTo(new[] { 0.375, 0.875 }));
    }

    [Test]
    public void DefaultsAndJsonRoundTrip()
    {
        Assert.That(new TrainingConfig().EffectiveLatentSize, Is.EqualTo(16));
        Assert.That(new TrainingConfig { Architecture = VaeKind.Mlp }.EffectiveLatentSize, Is.EqualTo(2));
        var config = new TrainingConfig
        {
            Architecture = VaeKind.Mlp,
            LatentSize = 3,
            Likelihood = Likelihood.Gaussian,
            KlWarmupEpochs = 1.5,
            Seed = ulong.MaxValue,
            ClipGradNorm = 5,
            Data = new DatasetRequest { Dataset = "fashion-mnist", Labels = "0-8", Binarize = Binarization.Dynamic, TrainLimit = 10 },
        };
        string json = config.ToJson();
        Assert.That(json, Does.Contain("\"likelihood\": \"gaussian\"").And.Contain("\"binarize\": \"dynamic\""));
        Assert.That(TrainingConfig.FromJson(json, "test"), Is.EqualTo(config));
    }

    [TestCase("--batch 0", nameof(TrainingConfig.BatchSize), 0)]
    [TestCase("--epochs 0", nameof(TrainingConfig.Epochs), 0)]
    [TestCase("--beta -1", nameof(TrainingConfig.Beta), -1.0)]
    [TestCase("--kl-warmup NaN", nameof(TrainingConfig.KlWarmupEpochs), double.NaN)]
    public void ValidationNamesTheOption(string expected, string property, object value)
    {
        TrainingConfig config = property switch
        {
            nameof(TrainingConfig.BatchSize) => new TrainingConfig { BatchSize = (int)value },
            nameof(TrainingConfig.Epochs) => new TrainingConfig { Epochs = (int)value },
            nameof(TrainingConfig.Beta) => new TrainingConfig { Beta = (double)value },
            _ => new TrainingConfig { KlWarmupEpochs = (double)value },
        };
        var e = Assert.Throws<TrainingConfigException>(config.Validate);
        Assert.That(e!.Message, Does.StartWith(expected));
    }

    [Test]
    public void The_latent_bound_is_the_contracts()
    {
        Assert.DoesNotThrow(() => new TrainingConfig { LatentSize = VaeContract.MaxLatentSize }.Validate());
        var e = Assert.Throws<TrainingConfigException>(() => new TrainingConfig { LatentSize = VaeContract.MaxLatentSize + 1 }.Validate())!;
        Assert.That(e.Message, Is.EqualTo($"--latent {VaeContract.MaxLatentSize + 1} is not usable; it must be between 1 and {VaeContract.MaxLatentSize}."));
        Assert.Throws<ArgumentException>(() => VaeArchitecture.Mlp(1, 4, 4, VaeContract.MaxLatentSize + 1, 4));
        var metadata = new Dictionary<string, string>
        {
            [VaeContract.ChannelsKey] = "1", [VaeContract.HeightKey] = "4", [VaeContract.WidthKey] = "4",
            [VaeContract.LatentSizeKey] = (VaeContract.MaxLatentSize + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            [VaeContract.LikelihoodKey] = "bernoulli",
        };
        Assert.That(Assert.Throws<InvalidModelException>(() => VaeMetadata.Parse(metadata, "m.onnx"))!.Message, Does.Contain($"from 1 to {VaeContract.MaxLatentSize}"));
    }
}
