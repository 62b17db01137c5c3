// The step-time model prices launches as its header says: a GEMM's groups go to whichever SM frees first, so one wave
// more costs one group's time more; a launch never costs less than the launch cost; a host sync adds the sync cost.
// Its printout says it is a model on every line that carries a time.
using VaeOnnx.Tests.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Engine.Backends.Launches;

namespace VaeOnnx.Tests.Trainer.Benchmarks;

public class StepTimeModelTests
{
    private static readonly GpuModel Model = GpuModel.H100(gemmEfficiency: 0.5, doubleBuffered: true);

    private static KernelLaunch Gemm(int m, int n, int k, int split) =>
        new("GemmKernel", 0, 256, new GemmLaunch([new GemmWork(m, n, k, 64, 128, 16, split)], IsReduction: false));

    [Test]
    public void AGemmTakesOneGroupTimePerWave()
    {
        double slice = 2.0 * 64 * 128 * 16 / (Model.Fp32FlopsPerSecond / Model.Sms * Model.GemmEfficiency);
        double group = 100 * slice + Model.LoadLatencySeconds;
        // 132 tiles of 100 slices: one wave; 133 tiles: two.
        double oneWave = StepTimeModel.Price(Model, [Gemm(64, 132 * 128, 1600, 1)], 0).StepSeconds;
        double twoWaves = StepTimeModel.Price(Model, [Gemm(64, 133 * 128, 1600, 1)], 0).StepSeconds;
        Assert.That(oneWave, Is.EqualTo(group).Within(1e-12));
        Assert.That(twoWaves, Is.EqualTo(2 * group).Within(1e-12));
        // Split in 4 chunks of 25 slices: 528 groups = 4 waves of a quarter the work.
        double split = StepTimeModel.Price(Model, [Gemm(64, 132 * 128, 1600, 4)], 0).StepSeconds;
        Assert.That(split, Is.EqualTo(4 * (25 * slice + Model.LoadLatencySeconds)).Within(1e-12));
    }

    [Test]
    public void EveryLaunchCostsAtLeastTheLaunchCostAndSyncsAddTheirs()
    {
        var tiny = new KernelLaunch("AddKernel", 16, 0, null);
        (IReadOnlyList<StepTimeModel.PricedLaunch> priced, double step) = StepTimeModel.Price(Model, [tiny, tiny], syncs: 3);
        Assert.That(priced.Select(p => p.Seconds), Is.All.EqualTo(Model.LaunchSeconds));
        Assert.That(step, Is.EqualTo(2 * Model.LaunchSeconds + 3 * Model.SyncSeconds).Within(1e-15));
        var big = new KernelLaunch("CopyKernel", 100_000_000, 0, null);
        Assert.That(StepTimeModel.Price(Model, [big], 0).StepSeconds, Is.EqualTo(12.0 * 100_000_000 / Model.BytesPerSecond).Within(1e-12));
    }

    [Test]
    public void ThePrintoutIsLabelledAModel()
    {
        var text = new StringWriter();
        StepTimeModel.PrintVaeSteps(text, TestGpu.Backend);
        string output = text.ToString();
        TestContext.Out.WriteLine(output);
        Assert.That(output, Does.StartWith("MODEL, NOT A MEASUREMENT"));
        string[] epochLines = [.. output.Split('\n').Where(l => l.Contains(" s per epoch", StringComparison.Ordinal))];
        Assert.That(epochLines, Has.Length.EqualTo(4));
        Assert.That(epochLines, Has.All.Contains("MODEL"));
        Assert.That(output, Does.Contain("MNIST").And.Contain("64x64 RGB").And.Contain("GemmKernel"));
    }
}
