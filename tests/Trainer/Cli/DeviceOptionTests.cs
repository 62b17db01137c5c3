// --device through the command line: `devices` lists the CPU engine and ILGPU's CPU accelerator with the --device
// values that select them; a device that cannot be opened is one "error:" line, exit 1, and no run folder; the device
// trained on is named in the run header and recorded in config.json, and a resumed run may change it.
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Cli;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Training;
using static VaeOnnx.Tests.Support.TrainerCommandLine;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed class DeviceOptionTests
{
    internal static readonly string[] Tiny = ["--dataset", "shapes", "--image-size", "16", "--train-limit", "64", "--test-limit", "16", "--batch", "32", "--latent", "2", "--epochs", "1"];

    [Test]
    public void DevicesListsTheCpuEngineAndTheIlgpuCpuAccelerator()
    {
        var result = Run(["devices"]);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.Success), result.Error);
        string[] lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Some.StartsWith("cpu ").And.Some.Contains("CPU engine, "));
        Assert.That(lines, Has.Some.StartsWith("ilgpu-cpu ").And.Some.Contains("ILGPU CPU accelerator, warps of 32"));
        Assert.That(lines, Has.Some.StartsWith("NVIDIA driver: "));
        Assert.That(lines, Has.Some.StartsWith("OpenCL: not offered (ILGPU 1.5.3's OpenCL accelerator needs"));
        string expectedDefault = CudaDriver.Probe().Initialized ? "auto selects: " : "auto selects: cpu";
        Assert.That(lines, Has.Some.StartsWith(expectedDefault));
    }

    [Test]
    public void CudaWithoutTheDriverIsOneLineExit1AndNoRunFolder()
    {
        if (CudaDriver.Probe().Loaded)
        {
            Assert.Ignore($"this machine has an NVIDIA driver ({CudaDriver.Probe().Describe()})");
        }
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        var result = Run([.. Tiny, "--device", "cuda", "--out", run]);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(result.Error, Is.EqualTo(
            "error: CUDA was requested (--device cuda) but the NVIDIA driver library libcuda.so.1 was not found; install the NVIDIA driver (no CUDA toolkit needed) or use --device cpu." + Environment.NewLine));
        Assert.That(result.Output, Is.Empty);
        Assert.That(Directory.Exists(run), Is.False, "no run folder");
    }

    [TestCase("gpu", "error: --device gpu is not a device; use auto, cpu, cuda, cuda:N or ilgpu-cpu")]
    [TestCase("cuda:two", "error: --device cuda:two: 'two' is not a CUDA device number")]
    public void AnUnknownDeviceIsOneLineExit1AndNoRunFolder(string device, string expected)
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        var result = Run([.. Tiny, "--device", device, "--out", run]);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(result.Error, Does.StartWith(expected));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
        Assert.That(Directory.Exists(run), Is.False, "no run folder");
    }

    [Test]
    public void TheDeviceIsInTheHeaderAndConfigAndMayChangeOnResume()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        var first = Run([.. Tiny, "--device", "cpu", "--out", run]);
        Assert.That(first.Code, Is.EqualTo(ExitCodes.Success), first.Error);
        Assert.That(first.Output, Does.Contain($"{Environment.NewLine}device  cpu (CPU engine, "));
        Assert.That(TrainingConfig.FromJson(File.ReadAllText(Path.Combine(run, RunFiles.Config)), "config.json").Device, Is.EqualTo("cpu"));

        var resumed = Run(["train", "--resume", run, "--epochs", "2", "--device", "auto"]);
        Assert.That(resumed.Code, Is.EqualTo(ExitCodes.Success), resumed.Error);
        Assert.That(resumed.Output, Does.Contain("device  "));
        string expected = CudaDriver.Probe().Initialized ? "cuda:0" : "cpu";
        Assert.That(TrainingConfig.FromJson(File.ReadAllText(Path.Combine(run, RunFiles.Config)), "config.json").Device, Is.EqualTo(expected));
    }
}
