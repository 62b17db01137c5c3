// The GPU backend the tests run: ILGPU's CPU accelerator, which executes the same kernels the CUDA accelerator compiles
// to PTX (simulating an NVIDIA-like device, so groups of 256 threads are allowed), in a context made exactly as the
// trainer makes its own (ComputeDevice.CreateContext: ILGPU.Algorithms enabled). One context for the whole run, since
// creating one compiles nothing but costs time. Also the comparison every backend test prints: relative difference =
// max |a - b| / max |a| over a tensor, a the CPU engine's value.
using ILGPU;
using ILGPU.Runtime.CPU;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Tests.Trainer.Engine.Backends;

internal static class TestGpu
{
    private static readonly Lazy<GpuBackend> Shared = new(Create);

    /// <summary>A backend shared by the tests (kernels compile once per process).</summary>
    public static GpuBackend Backend => Shared.Value;

    /// <summary>A fresh backend on its own accelerator, for tests that need two independent devices.</summary>
    public static GpuBackend Create()
    {
        Context context = ComputeDevice.CreateContext(builder => builder.CPU(ComputeDevice.IlgpuCpuDevice));
        return new GpuBackend(context.CreateCPUAccelerator(0));
    }

    public static double Relative(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual) => BackendParity.Relative(expected, actual);

    /// <summary>Prints the relative difference of one tensor and asserts it is within <paramref name="tolerance"/>.</summary>
    public static void AssertRelative(string label, Tensor expected, Tensor actual, double tolerance)
    {
        double relative = Relative(expected.Span, actual.Span);
        TestContext.Out.WriteLine($"{label}: relative difference {relative:E2} (tolerance {tolerance:E0})");
        Assert.That(relative, Is.LessThanOrEqualTo(tolerance), label);
    }

    /// <summary>Moves <paramref name="layers"/> (a producer and its activation) to the shared backend and fuses them as a network would.</summary>
    public static void FuseOnGpu(Layer[] layers)
    {
        foreach (Layer layer in layers)
        {
            layer.Backend = Backend;
        }
        LayerFusion.Apply(layers, Backend);
    }

    /// <summary>A copy of a host tensor, so that the CPU and the GPU backend each get their own.</summary>
    public static Tensor Clone(Tensor t)
    {
        var copy = new Tensor(t.Shape.ToArray());
        t.Span.CopyTo(copy.Span);
        return copy;
    }
}
