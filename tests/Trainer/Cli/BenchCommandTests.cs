// `bench` on devices, as smoke runs on random images: an epoch on ILGPU's CPU accelerator reports the same mean loss
// as the same epoch on the CPU engine (same weights, order and noise; the GPU kernels differ only in rounding), two
// epochs report the mean of the later one, and `bench kernels --quick` runs every GEMM and layer on the accelerator.
// No timing is asserted.
using System.Text.RegularExpressions;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Cli;
using static VaeOnnx.Tests.Support.TrainerCommandLine;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed class BenchCommandTests
{
    private static readonly string[] TinyEpoch = ["bench", "epoch", "--synthetic", "--size", "8", "--train-limit", "16", "--batch", "16", "--epochs", "2"];

    [Test]
    public void AnEpochOnIlgpuCpuHasTheCpuEnginesLoss()
    {
        var cpu = Run([.. TinyEpoch, "--device", "cpu"]);
        var accelerator = Run([.. TinyEpoch, "--device", "ilgpu-cpu"]);
        Assert.That((cpu.Code, accelerator.Code), Is.EqualTo((ExitCodes.Success, ExitCodes.Success)), cpu.Error + accelerator.Error);
        Assert.That(accelerator.Output, Does.Contain("16 images, batch 16, 2 epoch(s) on ilgpu-cpu (ILGPU CPU accelerator"));
        string[] cpuLosses = Losses(cpu.Output), acceleratorLosses = Losses(accelerator.Output);
        Assert.That(cpuLosses, Has.Length.EqualTo(2));
        Assert.That(acceleratorLosses, Is.EqualTo(cpuLosses), "mean loss per epoch, to 2 decimals");
        Assert.That(accelerator.Output, Does.Contain("epochs after the first: mean "));
    }

    [Test]
    public void KernelsQuickRunsEveryShapeOnIlgpuCpu()
    {
        var result = Run("bench", "kernels", "--device", "ilgpu-cpu", "--quick");
        Assert.That(result.Code, Is.EqualTo(ExitCodes.Success), result.Error);
        foreach (var shape in KernelBenchmark.Shapes)
        {
            Assert.That(result.Output, Does.Contain(shape.Name));
        }
        foreach (var layer in KernelBenchmark.ConvLayers)
        {
            Assert.That(result.Output, Does.Contain(layer.Name));
        }
    }

    [Test]
    public void CudaWithoutTheDriverIsOneLine()
    {
        if (VaeOnnx.Trainer.Engine.Devices.CudaDriver.Probe().Loaded)
        {
            Assert.Ignore("this machine has an NVIDIA driver");
        }
        var result = Run([.. TinyEpoch, "--device", "cuda"]);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(result.Error, Does.StartWith("error: CUDA was requested (--device cuda) but the NVIDIA driver library libcuda.so.1 was not found"));
        Assert.That(result.Output, Is.Empty, "nothing ran");
    }

    internal static string[] Losses(string output) =>
        [.. Regex.Matches(output, @"^epoch \d+ wall time .* mean loss (\S+) nats/image", RegexOptions.Multiline).Select(m => m.Groups[1].Value)];
}
