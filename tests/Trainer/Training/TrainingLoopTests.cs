// The training loop at the API level: a short MNIST run lowers the test loss; a run interrupted mid-epoch and
// resumed ends bit for bit where an uninterrupted run ends; a NaN stops training with the last checkpoint untouched.
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Training;

public sealed class TrainingLoopTests
{
    [Test]
    public void AShortMnistRunLowersTheTestLoss()
    {
        var config = new TrainingConfig
        {
            Architecture = VaeKind.Mlp,
            LatentSize = 8,
            Hidden = 200,
            Epochs = 2,
            BatchSize = 64,
            Data = new DatasetRequest { DataFolder = RepositoryPaths.MnistFolder, TrainLimit = 3000, TestLimit = 500 },
        };
        DatasetSplits data = DatasetLoader.Load(config.Data, downloader: null);
        using var folder = new TemporaryFolder();
        TrainingLoop loop = TrainingLoop.Start(config, data, folder.Path, StopSignal.Manual());
        double before = Evaluation.NegativeElbo(loop.Network, data.Test, 256, config.Seed).TotalPerImage;

        TrainingOutcome outcome = loop.Run(new PlainProgress(TestContext.Out));

        Assert.That(outcome.Kind, Is.EqualTo(TrainingOutcomeKind.Completed), outcome.Message);
        List<EpochMetrics> history = loop.State.History;
        TestContext.Out.WriteLine($"test loss: untrained {before:F2}, epoch 1 {history[0].TestLoss:F2}, epoch 2 {history[1].TestLoss:F2} nats/image");
        Assert.That(history[0].TestLoss, Is.LessThan(before - 100), "the first epoch must cut the loss of random weights (~540 nats) substantially");
        Assert.That(history[1].TestLoss, Is.LessThan(history[0].TestLoss));
        Assert.That(history[1].TestLoss, Is.EqualTo(history[1].TestReconstruction + history[1].TestKl).Within(1e-9));
        Assert.That(File.ReadAllLines(Path.Combine(folder.Path, RunFiles.MetricsCsv)), Has.Length.EqualTo(3));
    }

    [Test]
    public void InterruptedMidEpochAndResumedEqualsUninterrupted()
    {
        TrainingConfig config = TinyConfig(epochs: 3) with { Data = TinyConfig(3).Data with { Binarize = Binarization.Dynamic } };
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        using var straightFolder = new TemporaryFolder();
        using var stoppedFolder = new TemporaryFolder();

        TrainingLoop straight = TrainingLoop.Start(config, data, straightFolder.Path, StopSignal.Manual());
        Assert.That(straight.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));

        // Stop after the 2nd step of epoch 2 (steps 1-4 are epoch 1 with 4 batches per epoch).
        var stop = StopSignal.Manual();
        TrainingLoop first = TrainingLoop.Start(config, data, stoppedFolder.Path, stop);
        TrainingOutcome interrupted = first.Run(new StopAfterSteps(stop, steps: 6));
        Assert.That(interrupted.Kind, Is.EqualTo(TrainingOutcomeKind.Interrupted), interrupted.Message);
        Assert.That((first.State.EpochsDone, first.State.BatchesDone), Is.EqualTo((1, 2)));

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(Path.Combine(stoppedFolder.Path, RunFiles.Checkpoint));
        TrainingLoop resumed = TrainingLoop.Resume(checkpoint, null, data, stoppedFolder.Path, StopSignal.Manual());
        Assert.That(resumed.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));

        AssertIdentical(straight, resumed);
    }

    [Test]
    public void ANaNLossStopsAndKeepsTheLastGoodCheckpoint()
    {
        TrainingConfig config = TinyConfig(epochs: 1);
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        using var folder = new TemporaryFolder();
        TrainingLoop loop = TrainingLoop.Start(config, data, folder.Path, StopSignal.Manual());
        Assert.That(loop.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        string checkpointPath = Path.Combine(folder.Path, RunFiles.Checkpoint);
        byte[] good = File.ReadAllBytes(checkpointPath);

        // The same images with one NaN pixel in the second batch of the next epoch's order.
        float[] poisoned = (float[])data.Train.Pixels.Clone();
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(checkpointPath);
        int[] order = NextEpochOrder(checkpoint.State, data.Train);
        poisoned[order[config.BatchSize + 3] * data.Train.ImageSize + 5] = float.NaN;
        var bad = data with { Train = new ImageDataset("poisoned", data.Train.Channels, data.Train.Height, data.Train.Width, poisoned, data.Train.Labels, data.Train.LabelNames) };

        TrainingOutcome outcome = TrainingLoop.Resume(checkpoint, 2, bad, folder.Path, StopSignal.Manual()).Run(new PlainProgress(TextWriter.Null));

        TestContext.Out.WriteLine(outcome.Message);
        Assert.That(outcome.Kind, Is.EqualTo(TrainingOutcomeKind.Diverged));
        Assert.That(outcome.Message, Does.Contain("NaN").And.Contain("epoch 2, batch 2 of 4").And.Contain("left untouched").And.Contain("--lr"));
        Assert.That(File.ReadAllBytes(checkpointPath), Is.EqualTo(good));
    }

    [Test]
    public void TheThreadCountDoesNotChangeTheResult()
    {
        TrainingConfig config = TinyConfig(epochs: 1);
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        int saved = EngineThreads.Count;
        try
        {
            TrainingLoop RunWith(int threads, string folder)
            {
                EngineThreads.Count = threads;
                TrainingLoop loop = TrainingLoop.Start(config, data, folder, StopSignal.Manual());
                Assert.That(loop.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
                return loop;
            }
            using var one = new TemporaryFolder();
            using var two = new TemporaryFolder();
            AssertIdentical(RunWith(1, one.Path), RunWith(2, two.Path));
        }
        finally
        {
            EngineThreads.Count = saved;
        }
    }

    /// <summary>4 batches of 32 per epoch on 16x16 shapes with the conv VAE: small enough for many runs.</summary>
    internal static TrainingConfig TinyConfig(int epochs) => new()
    {
        Architecture = VaeKind.Conv,
        LatentSize = 4,
        Epochs = epochs,
        BatchSize = 32,
        Seed = 5,
        Data = new DatasetRequest { Dataset = "shapes", Height = 16, Width = 16, TrainLimit = 128, TestLimit = 32 },
    };

    internal static void AssertIdentical(TrainingLoop expected, TrainingLoop actual)
    {
        for (int i = 0; i < expected.Network.Parameters.Count; i++)
        {
            Assert.That(actual.Network.Parameters[i].Value.Span.ToArray(), Is.EqualTo(expected.Network.Parameters[i].Value.Span.ToArray()),
                $"parameter {expected.Network.Parameters[i].Name} differs");
        }
        var expectedState = expected.Optimizer.ExportState();
        var actualState = actual.Optimizer.ExportState();
        Assert.That(actualState.Step, Is.EqualTo(expectedState.Step));
        for (int i = 0; i < expectedState.Buffers.Count; i++)
        {
            Assert.That(actualState.Buffers[i].Data, Is.EqualTo(expectedState.Buffers[i].Data), expectedState.Buffers[i].Name);
        }
        Assert.That(actual.State.History.Select(m => (m.TrainLoss, m.TrainReconstruction, m.TrainKl, m.TestLoss)),
            Is.EqualTo(expected.State.History.Select(m => (m.TrainLoss, m.TrainReconstruction, m.TrainKl, m.TestLoss))));
        Assert.That(actual.State.Noise, Is.EqualTo(expected.State.Noise));
        Assert.That(actual.State.ShuffleAtEpochStart, Is.EqualTo(expected.State.ShuffleAtEpochStart));
        Assert.That(actual.State.Binarization, Is.EqualTo(expected.State.Binarization));
        TestContext.Out.WriteLine($"identical after {actual.State.EpochsDone} epochs: {expected.Network.Parameters.Sum(p => p.Value.Length)} weights, " +
            $"{expectedState.Buffers.Count} Adam buffers, final train loss {actual.State.History[^1].TrainLoss:R}");
    }

    private static int[] NextEpochOrder(TrainingState state, ImageDataset train)
    {
        var random = new RandomSource(0);
        random.SetState(state.ShuffleAtEpochStart);
        var loader = new BatchLoader(train, state.Config.BatchSize, random, null);
        loader.StartEpoch();
        return loader.Order.ToArray();
    }

    /// <summary>Requests a stop once the loop has completed a given number of steps in total.</summary>
    internal sealed class StopAfterSteps(StopSignal stop, int steps) : ITrainingProgress
    {
        private int _done;

        public void EpochStarted(int epoch, int totalEpochs, int batchCount, int startBatch)
        {
        }

        public void StepCompleted(int batchesDone, RunningLoss running)
        {
            if (++_done == steps)
            {
                stop.Request();
            }
        }

        public void Evaluating()
        {
        }

        public void EpochCompleted(EpochMetrics metrics, int totalEpochs)
        {
        }
    }
}
