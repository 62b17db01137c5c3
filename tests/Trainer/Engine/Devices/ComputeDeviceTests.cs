// Opening devices on this machine (no NVIDIA driver in CI): the CPU engine has no accelerator; ilgpu-cpu gives an
// ILGPU CPU accelerator with CUDA's launch limits whose context has ILGPU.Algorithms enabled (a kernel calling XMath
// runs and matches MathF); a CUDA request fails with the one-line message naming the missing driver library; auto
// falls back to the CPU and says why. On a machine with the driver the CUDA-specific checks are skipped, not faked.
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Devices;

namespace VaeOnnx.Tests.Trainer.Engine.Devices;

public sealed class ComputeDeviceTests
{
    [Test]
    public void TheCpuEngineHasNoAccelerator()
    {
        using ComputeDevice device = ComputeDevice.Open("cpu");
        Assert.That((device.Request, device.Accelerator, device.Context, device.MemoryBytes, device.AutoNote), Is.EqualTo((DeviceRequest.Cpu, (Accelerator?)null, (Context?)null, (long?)null, (string?)null)));
        Assert.That(device.Describe(), Does.StartWith("cpu (CPU engine, "));
        Assert.That(device.Label, Is.EqualTo("cpu"));
    }

    [Test]
    public void IlgpuCpuRunsKernelsWithTheAlgorithmsLibraryAndCudaLaunchLimits()
    {
        using ComputeDevice device = ComputeDevice.Open("ilgpu-cpu");
        Accelerator accelerator = device.Accelerator!;
        Assert.That(accelerator.AcceleratorType, Is.EqualTo(AcceleratorType.CPU));
        Assert.That((accelerator.WarpSize, accelerator.MaxNumThreadsPerGroup), Is.EqualTo((32, 1024)), "the limits of a CUDA GPU");

        float[] x = [-3.5f, -1f, 0f, 0.25f, 1f, 2.75f, 10f];
        using var input = accelerator.Allocate1D(x);
        using var output = accelerator.Allocate1D<float>(x.Length);
        var kernel = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>>((i, a, y) => y[i] = XMath.Exp(a[i]) + XMath.Tanh(a[i]));
        kernel((int)input.Length, input.View, output.View);
        accelerator.Synchronize();
        float[] got = output.GetAsArray1D();
        for (int i = 0; i < x.Length; i++)
        {
            float expected = MathF.Exp(x[i]) + MathF.Tanh(x[i]);
            Assert.That(got[i], Is.EqualTo(expected).Within(2e-6).Percent, $"x = {x[i]}");
        }
    }

    [Test]
    public void CudaWithoutTheDriverIsOneLineNamingTheLibrary()
    {
        if (CudaDriver.Probe().Loaded)
        {
            Assert.Ignore($"this machine has an NVIDIA driver ({CudaDriver.Probe().Describe()})");
        }
        var error = Assert.Throws<DeviceException>(() => ComputeDevice.Open("cuda"));
        Assert.That(error!.Message, Is.EqualTo(
            "CUDA was requested (--device cuda) but the NVIDIA driver library libcuda.so.1 was not found; install the NVIDIA driver (no CUDA toolkit needed) or use --device cpu."));
        Assert.That(Assert.Throws<DeviceException>(() => ComputeDevice.Open("cuda:3"))!.Message, Does.StartWith("CUDA was requested (--device cuda:3) but"));
    }

    [Test]
    public void AutoWithoutTheDriverIsTheCpuAndSaysWhy()
    {
        if (CudaDriver.Probe().Initialized)
        {
            Assert.Ignore($"this machine has a working NVIDIA driver ({CudaDriver.Probe().Describe()})");
        }
        using ComputeDevice device = ComputeDevice.Open("auto");
        Assert.That(device.Request, Is.EqualTo(DeviceRequest.Cpu));
        Assert.That(device.AutoNote, Does.Contain("no CUDA device"));
        Assert.That(device.Describe(), Does.Contain("; auto: no CUDA device ("));
    }

    [TestCase(150_150_733_824L, "140 GiB")]
    [TestCase(8L << 30, "8.0 GiB")]
    [TestCase(1L << 30, "1.0 GiB")]
    [TestCase(512L << 20, "512 MiB")]
    public void MemoryIsShownInBinaryUnits(long bytes, string text)
    {
        Assert.That(ComputeDevice.FormatMemory(bytes), Is.EqualTo(text));
    }

    [Test]
    public void TheDriverStatusDescribesEachState()
    {
        Assert.That(new CudaDriverStatus(null, -1, "", 0, 0).Describe(), Is.EqualTo("NVIDIA driver library libcuda.so.1 not found"));
        Assert.That(new CudaDriverStatus("libcuda.so.1", 100, "CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)", 12080, 0).Describe(),
            Is.EqualTo("NVIDIA driver libcuda.so.1 loaded, but cuInit failed with CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)"));
        Assert.That(new CudaDriverStatus("libcuda.so.1", 0, "", 12080, 1).Describe(), Is.EqualTo("NVIDIA driver libcuda.so.1, CUDA 12.8, 1 device(s)"));
    }
}
