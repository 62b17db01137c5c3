// The training loop on the GPU backend (ILGPU's CPU accelerator): one epoch with the training set resident on the
// device, batches gathered there and the running loss read back only at the end, against the same epoch on the CPU
// backend. The same generators give the same batches and noise, so the runs differ only by float rounding.
using VaeOnnx.Tests.Engine.Backends;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Training;

public sealed class TrainingLoopBackendTests
{
    [Test]
    public void AnEpochOnTheGpuBackendMatchesTheCpuBackend()
    {
        TrainingConfig config = TrainingLoopTests.TinyConfig(epochs: 1) with { Architecture = VaeArchitecture.MlpKind, Hidden = 24 };
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
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(Path.Combine(gpuFolder.Path, RunFolder.Checkpoint));
        TrainingLoop resumed = TrainingLoop.Resume(checkpoint, 2, data, gpuFolder.Path, StopSignal.Manual(), CpuBackend.Instance);
        Assert.That(resumed.Run(new PlainProgress(TextWriter.Null)).Kind, Is.EqualTo(TrainingOutcomeKind.Completed));
        Assert.That(resumed.State.History, Has.Count.EqualTo(2));
    }
}
