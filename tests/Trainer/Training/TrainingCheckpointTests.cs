// Checkpoints written before the training state stored VaeArchitecture directly (with Kind as an enum) still load:
// the weights are the same bit for bit (exporting the loaded network gives the very bytes the old build exported),
// the stored state reads back to the same JSON text, and the architecture is the one the old run used.
// Fixtures/README.md says how the fixtures were made.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Engine.Serialization;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Training;

public sealed class TrainingCheckpointTests
{
    private static string Fixture(string kind) => Path.Combine(RepositoryPaths.Root, "tests", "Trainer", "Training", "Fixtures", "checkpoint-abea330", kind);

    [TestCase("mlp", VaeKind.Mlp)]
    [TestCase("conv", VaeKind.Conv)]
    public void A_checkpoint_written_before_the_change_loads_with_identical_weights(string fixture, VaeKind kind)
    {
        string folder = Fixture(fixture);
        RunFolder run = RunFolder.Open(folder);
        Assert.That(run.Network.Architecture.Kind, Is.EqualTo(kind));
        Assert.That(run.Config.Architecture, Is.EqualTo(kind));

        using var exported = new TemporaryFolder();
        run.Export(exported.Path);
        foreach (string file in new[] { VaeContract.EncoderFileName, VaeContract.DecoderFileName })
        {
            Assert.That(File.ReadAllBytes(Path.Combine(exported.Path, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(folder, file))),
                $"{file} exported from the loaded checkpoint differs from the one the old build exported: the weights changed");
        }
    }

    [TestCase("mlp")]
    [TestCase("conv")]
    public void The_stored_state_and_config_read_back_to_the_same_text(string fixture)
    {
        string folder = Fixture(fixture);
        string json = CheckpointFile.Load(Path.Combine(folder, RunFiles.Checkpoint)).Metadata[TrainingCheckpoint.StateKey];
        Assert.That(TrainingState.FromJson(json, "fixture").ToJson(), Is.EqualTo(json));
        string config = File.ReadAllText(Path.Combine(folder, RunFiles.Config));
        Assert.That(TrainingConfig.FromJson(config, RunFiles.Config).ToJson(), Is.EqualTo(config));
    }

    [Test]
    public void An_unknown_architecture_word_is_refused_with_the_file_named()
    {
        string folder = Fixture("mlp");
        Checkpoint checkpoint = CheckpointFile.Load(Path.Combine(folder, RunFiles.Checkpoint));
        string json = checkpoint.Metadata[TrainingCheckpoint.StateKey].Replace("\"kind\": \"mlp\"", "\"kind\": \"resnet\"", StringComparison.Ordinal);
        Assert.That(json, Does.Contain("\"resnet\""), "the fixture's state names its kind as a word");
        var e = Assert.Throws<TrainingConfigException>(() => TrainingState.FromJson(json, "the-file"))!;
        Assert.That(e.Message, Does.Contain("the-file"));
    }
}
