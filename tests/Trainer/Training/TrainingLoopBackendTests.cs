// The training loop on the GPU backend (ILGPU's CPU accelerator): one epoch with the training set resident on the
// device, batches gathered there and the running loss read back only at the end, against the same epoch on the CPU
// backend. The same generators give the same batches and noise, so the runs differ only by float rounding.
// Streaming the set in double-buffered chunks gives bit for bit the run the resident set gives; with per-batch
// binarization (which always streams) it matches the CPU run, and a run stopped mid-chunk resumes exactly.
using VaeOnnx.Tests.Trainer.Engine.Backends;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Tests.Trainer.Training;

public sealed class TrainingLoopBackendTests
{
    [Test]
    public void AnEpochOnTheGpuBackendMatchesTheCpuBackend()
    {
        TrainingConfig config = TrainingLoopTests.TinyConfig(epochs: 1) with { Architecture = VaeKind.Mlp, Hidden = 24 };
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        using var cpuFolder = new TemporaryFolder();
        using var gpuFolder = new TemporaryFolder();
        TrainingLoop cpu = TrainingLoop.Start(config, data, cpuFolder.Path, StopSignal.Manual(), CpuBackend.Instance);
        TrainingLoop gpu = TrainingLoop.Start(config, data, gpuFolder.Path, StopSignal.Manual(), TestGpu.Backend);
        Assert.That(cpu.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        Assert.That(gpu.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));

        EpochMetrics a = cpu.State.History[0], b = gpu.State.History[0];
        TestContext.Out.WriteLine($"train loss cpu {a.TrainLoss:R} gpu {b.TrainLoss:R}; test loss cpu {a.TestLoss:R} gpu {b.TestLoss:R}");
        Assert.That(b.TrainLoss, Is.EqualTo(a.TrainLoss).Within(1e-5 * a.TrainLoss));
        Assert.That(b.TestLoss, Is.EqualTo(a.TestLoss).Within(1e-5 * a.TestLoss));
        for (int i = 0; i < cpu.Network.Parameters.Count; i++)
        {
            double relative = TestGpu.Relative(cpu.Network.Parameters[i].Value.Span, gpu.Network.Parameters[i].Value.Span);
            TestContext.Out.WriteLine($"  {cpu.Network.Parameters[i].Name}: relative difference {relative:E2}");
            Assert.That(relative, Is.LessThan(1e-4), cpu.Network.Parameters[i].Name);
        }

        // The GPU run's checkpoint resumes on the CPU backend like any other.
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(Path.Combine(gpuFolder.Path, RunFiles.Checkpoint));
        TrainingLoop resumed = TrainingLoop.Resume(checkpoint, 2, data, gpuFolder.Path, StopSignal.Manual(), CpuBackend.Instance);
        Assert.That(resumed.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        Assert.That(resumed.State.History, Has.Count.EqualTo(2));
    }

    /// <summary>
    /// MLP on 30 colour shapes of 3 x 8 x 8 (grey levels, so binarizing draws matter) in batches of 4 (ILGPU's CPU
    /// accelerator is slow): 8 batches per epoch, the last one of 2 images.
    /// </summary>
    private static TrainingConfig SmallMlp(int epochs, Binarization binarize) => TrainingLoopTests.TinyConfig(epochs) with
    {
        Architecture = VaeKind.Mlp,
        Hidden = 24,
        BatchSize = 4,
        Data = TrainingLoopTests.TinyConfig(epochs).Data with { Height = 8, Width = 8, Channels = 3, TrainLimit = 30, TestLimit = 8, Binarize = binarize },
    };

    // Chunks of 3 batches: [0, 3), [3, 6), [6, 8).
    private static DeviceDataPlan StreamInThrees(TrainingConfig config, DatasetSplits data) =>
        DeviceDataPlan.Choose(DeviceData.Stream, data.Train, config.BatchSize, config.Data.Binarize == Binarization.Dynamic, TestGpu.Backend,
            chunkBytes: 3L * config.BatchSize * data.Train.ImageSize * sizeof(float));

    [Test]
    public void StreamingTheSetGivesTheResidentRunBitForBit()
    {
        TrainingConfig config = SmallMlp(epochs: 1, Binarization.None);
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        using var residentFolder = new TemporaryFolder();
        using var streamedFolder = new TemporaryFolder();
        TrainingLoop resident = TrainingLoop.Start(config, data, residentFolder.Path, StopSignal.Manual(), TestGpu.Backend);
        DeviceDataPlan plan = StreamInThrees(config, data);
        TrainingLoop streamed = TrainingLoop.Start(config, data, streamedFolder.Path, StopSignal.Manual(), TestGpu.Backend, plan);
        Assert.That((resident.DataPlan.Kind, streamed.DataPlan.Kind, streamed.DataPlan.ChunkBatches), Is.EqualTo((FeedKind.Resident, FeedKind.Streamed, 3)));
        Assert.That(resident.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        Assert.That(streamed.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        TrainingLoopTests.AssertIdentical(resident, streamed);
    }

    [Test]
    public void PerBatchBinarizationStreamsMatchesTheCpuAndResumesExactlyMidChunk()
    {
        TrainingConfig config = SmallMlp(epochs: 1, Binarization.Dynamic);
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        using var cpuFolder = new TemporaryFolder();
        using var straightFolder = new TemporaryFolder();
        using var stoppedFolder = new TemporaryFolder();
        DeviceDataPlan plan = StreamInThrees(config, data);

        TrainingLoop cpu = TrainingLoop.Start(config, data, cpuFolder.Path, StopSignal.Manual(), CpuBackend.Instance);
        TrainingLoop straight = TrainingLoop.Start(config, data, straightFolder.Path, StopSignal.Manual(), TestGpu.Backend, plan);
        Assert.That(straight.DataPlan.BinarizedOnHost, Is.True);
        Assert.That(cpu.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        Assert.That(straight.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        // Same binarization draws, batch for batch: the generators end in the same state and the losses agree to rounding.
        Assert.That(straight.State.Binarization, Is.EqualTo(cpu.State.Binarization));
        EpochMetrics a = cpu.State.History[0], b = straight.State.History[0];
        TestContext.Out.WriteLine($"train loss cpu {a.TrainLoss:R} streamed gpu {b.TrainLoss:R}; test loss cpu {a.TestLoss:R} streamed gpu {b.TestLoss:R}");
        Assert.That(b.TrainLoss, Is.EqualTo(a.TrainLoss).Within(1e-5 * a.TrainLoss));
        Assert.That(b.TestLoss, Is.EqualTo(a.TestLoss).Within(1e-5 * a.TestLoss));

        // Stopped after 5 steps: inside the chunk [3, 6), with [6, 8) already filled (and binarized) ahead.
        var stop = StopSignal.Manual();
        TrainingLoop first = TrainingLoop.Start(config, data, stoppedFolder.Path, stop, TestGpu.Backend, plan);
        first.LossReadInterval = 1;
        TrainingOutcome interrupted = first.Run(new TrainingLoopTests.StopAfterSteps(stop, steps: 5));
        Assert.That(interrupted.Kind, Is.EqualTo(TrainingOutcomeKind.Interrupted), interrupted.Message);
        Assert.That((first.State.EpochsDone, first.State.BatchesDone), Is.EqualTo((0, 5)));

        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(Path.Combine(stoppedFolder.Path, RunFiles.Checkpoint));
        TrainingLoop resumed = TrainingLoop.Resume(checkpoint, null, data, stoppedFolder.Path, StopSignal.Manual(), TestGpu.Backend, plan);
        Assert.That(resumed.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        TrainingLoopTests.AssertIdentical(straight, resumed);
    }

    // The loop's own epoch on the GPU with the set resident: the order and the noise go up once at the epoch's start,
    // so every step but the one that reads the running loss makes no host sync, and every full step launches the same kernels.
    [Test]
    public void AResidentEpochMakesNoHostSyncInsideItsSteps()
    {
        TrainingConfig config = SmallMlp(epochs: 1, Binarization.None);
        DatasetSplits data = DatasetLoader.Load(config.Data, null);
        using var folder = new TemporaryFolder();
        TrainingLoop loop = TrainingLoop.Start(config, data, folder.Path, StopSignal.Manual(), TestGpu.Backend);
        Assert.That(loop.DataPlan.Kind, Is.EqualTo(FeedKind.Resident));
        loop.LossReadInterval = 4;
        var log = TestGpu.Backend.Launches;
        log.Start();
        TrainingOutcome outcome;
        try
        {
            outcome = loop.Run(new PlainProgress(TextWriter.Null));
        }
        finally
        {
            log.Stop();
        }
        Assert.That(outcome.Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        Assert.That(log.StepStarts, Has.Count.EqualTo(8));
        for (int step = 0; step < 8; step++)
        {
            var (launches, syncs) = log.Step(step);
            bool reads = (step + 1) % 4 == 0;
            TestContext.Out.WriteLine($"step {step}: {launches.Count} launches, {syncs.Count} host syncs{(reads ? " (reads the running loss)" : "")}: {string.Join("; ", syncs)}");
            if (!reads)
            {
                Assert.That(syncs, Is.Empty, $"step {step}");
            }
            if (step > 0 && step < 7)
            {
                Assert.That(launches.Select(l => l.Kernel), Is.EqualTo(log.Step(0).Launches.Select(l => l.Kernel)), $"step {step} launches what step 0 did");
            }
        }
    }
}
