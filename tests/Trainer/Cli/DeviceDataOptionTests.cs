// --device-data through the command line: a choice that cannot work (resident with per-batch binarization) is one
// "error:" line, exit 1, and no run folder; an unknown value names the accepted ones; and `bench epoch` on ILGPU's CPU
// accelerator with the set streamed reports the streamed plan and the CPU engine's losses (the batches are the same;
// only kernel rounding separates them). Streamed against resident, bit for bit, is TrainingLoopBackendTests' check.
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Cli;
using static VaeOnnx.Tests.Support.TrainerCommandLine;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed class DeviceDataOptionTests
{
    private static readonly string[] TinyEpoch = ["bench", "epoch", "--synthetic", "--size", "8", "--train-limit", "40", "--batch", "8", "--epochs", "2"];

    [Test]
    public void ResidentWithPerBatchBinarizationIsOneLineExit1AndNoRunFolder()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        var result = Run([.. DeviceOptionTests.Tiny, "--binarize", "dynamic", "--device", "ilgpu-cpu", "--device-data", "resident", "--out", run]);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(result.Error, Is.EqualTo(
            "error: --device-data resident cannot be used with --binarize dynamic: the binarization is drawn on the host for every batch. Use --device-data stream or auto." +
            Environment.NewLine));
        Assert.That(Directory.Exists(run), Is.False, "no run folder");
    }

    [Test]
    public void AnUnknownChoiceNamesTheAcceptedOnes()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        var result = Run([.. DeviceOptionTests.Tiny, "--device-data", "gpu", "--out", run]);
        Assert.That(result.Code, Is.Not.EqualTo(ExitCodes.Success));
        Assert.That(result.Error, Does.Contain("gpu").And.Contain("auto").And.Contain("resident").And.Contain("stream"));
        Assert.That(Directory.Exists(run), Is.False, "no run folder");
    }

    [Test]
    public void AStreamedBenchEpochHasTheCpuEnginesLosses()
    {
        var cpu = Run([.. TinyEpoch, "--device", "cpu", "--device-data", "stream"]);
        var streamed = Run([.. TinyEpoch, "--device", "ilgpu-cpu", "--device-data", "stream"]);
        Assert.That((cpu.Code, streamed.Code), Is.EqualTo((ExitCodes.Success, ExitCodes.Success)), cpu.Error + streamed.Error);
        Assert.That(cpu.Output, Does.Not.Contain("training set"), "the CPU engine reads host memory whatever the choice");
        Assert.That(streamed.Output, Does.Contain("; training set streamed to the device in chunks of 1 batch (2 x 2 KiB, double-buffered)"));
        string[] cpuLosses = BenchCommandTests.Losses(cpu.Output);
        Assert.That(cpuLosses, Has.Length.EqualTo(2));
        Assert.That(BenchCommandTests.Losses(streamed.Output), Is.EqualTo(cpuLosses), "mean loss per epoch, to 2 decimals");
    }
}
