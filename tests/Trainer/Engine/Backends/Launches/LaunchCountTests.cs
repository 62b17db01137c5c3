// How many kernels one training step launches on the GPU backend, and how often it makes the host wait, counted the
// way the review counted them: every launch goes through KernelLoader's wrapped delegates into the backend's
// LaunchLog (kernel and grid), the GEMMs planned for an H100's 132 multiprocessors. The batch-128 counts are dry runs
// (launches recorded, kernels not executed: the launch sequence depends only on shapes); a real step at a small batch
// records the same launches as a dry run of it.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Launches;

public class LaunchCountTests
{
    /// <summary>The most launches a step of the MNIST conv VAE may take at batch 128 (issue 18's target).</summary>
    public const int MnistConvLaunchBudget = 40;

    public static IEnumerable<TestCaseData> Architectures()
    {
        yield return new TestCaseData(VaeArchitecture.Conv(1, 28, 28, 16), 2).SetArgDisplayNames("conv 28x28 grey");
        yield return new TestCaseData(VaeArchitecture.Conv(3, 64, 64, 16), 1).SetArgDisplayNames("conv 64x64 rgb");
        yield return new TestCaseData(VaeArchitecture.Conv(1, 45, 30, 8, Likelihood.Gaussian), 2).SetArgDisplayNames("conv 45x30 gaussian");
        yield return new TestCaseData(VaeArchitecture.Mlp(1, 28, 28, 2, 400), 4).SetArgDisplayNames("mlp 784-400-2");
    }

    /// <summary>One executed step at a small batch, on the shared test backend, its GEMMs planned for an H100.</summary>
    internal static (IReadOnlyList<KernelLaunch> Launches, IReadOnlyList<string> Syncs) RecordStep(VaeArchitecture architecture, int batch) =>
        StepLaunches.Record(architecture, batch, TestGpu.Backend, dryRun: false);

    [Test]
    public void AnMnistConvStepAtBatch128StaysWithinTheLaunchBudget()
    {
        var (launches, syncs) = StepLaunches.Record(VaeArchitecture.Conv(1, 28, 28, 16), 128, TestGpu.Backend, dryRun: true);
        Print("MNIST conv, batch 128", launches, syncs);
        Assert.That(launches, Has.Count.LessThanOrEqualTo(MnistConvLaunchBudget));
        Assert.That(syncs, Is.Empty, "no host sync inside a step with the set resident");
    }

    [Test]
    public void A64x64RgbConvStepAtBatch128IsCounted()
    {
        var (launches, syncs) = StepLaunches.Record(VaeArchitecture.Conv(3, 64, 64, 16), 128, TestGpu.Backend, dryRun: true);
        Print("64x64 RGB conv, batch 128", launches, syncs);
        Assert.That(launches, Is.Not.Empty);
        Assert.That(syncs, Is.Empty, "no host sync inside a step with the set resident");
    }

    [TestCaseSource(nameof(Architectures))]
    public void ADryRunRecordsTheLaunchesARealStepMakes(VaeArchitecture architecture, int batch)
    {
        var real = RecordStep(architecture, batch);
        var dry = StepLaunches.Record(architecture, batch, TestGpu.Backend, dryRun: true);
        Assert.That(dry.Launches.Select(l => l.ToString()), Is.EqualTo(real.Launches.Select(l => l.ToString())));
    }

    private static void Print(string title, IReadOnlyList<KernelLaunch> launches, IReadOnlyList<string> syncs)
    {
        TestContext.Out.WriteLine($"{title}: {launches.Count} launches, {syncs.Count} host syncs");
        foreach (KernelLaunch launch in launches)
        {
            TestContext.Out.WriteLine($"  {launch}");
        }
        foreach (string sync in syncs)
        {
            TestContext.Out.WriteLine($"  sync: {sync}");
        }
    }
}
