// `bench kernels --device cuda|ilgpu-cpu`: the GPU backend's GEMM throughput at the shapes KernelBenchmark times on the
// CPU (with the tiles and k-chunks GemmPlanner chose on this device), and the conv VAE's convolution layers forward
// and backward at batch 128, each timed from launch until the device has finished (best of 7). Operands are uploaded before timing starts, so no host transfer is measured. --quick
// shrinks the GEMMs 8 times, runs the layers on 2 images and times each single first call: a smoke run (tests, ILGPU's
// CPU accelerator), not a measurement.
using System.Diagnostics;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Dense;
using VaeOnnx.Trainer.Engine.Devices;

namespace VaeOnnx.Trainer.Benchmarks;

public static class DeviceKernelBenchmark
{
    public static void Run(TextWriter output, ComputeDevice device, bool quick)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(device);
        ComputeBackend backend = device.Backend;
        int shrink = quick ? 8 : 1, repetitions = quick ? 1 : 7;
        int batch = quick ? 2 : KernelBenchmark.Batch;
        output.WriteLine(quick
            ? $"Kernel benchmark on {device.Describe()}, --quick: GEMMs 8 times smaller, layers on {batch} images, one call each (a smoke run, not a measurement)."
            : $"Kernel benchmark on {device.Describe()}: best of {repetitions} runs each, timed until the device has finished.");

        output.WriteLine();
        int multiprocessors = backend is GpuBackend gpu ? gpu.PlanForMultiprocessors : 1;
        output.WriteLine($"{"GEMM",-24} {"m",5} {"n",6} {"k",5} {"ms",8} {"GFLOP/s",8}  plan on {multiprocessors} multiprocessors");
        foreach (var (name, transA, transB, fullM, fullN, fullK) in KernelBenchmark.Shapes)
        {
            int m = Math.Max(1, fullM / shrink), n = Math.Max(1, fullN / shrink), k = Math.Max(1, fullK / shrink);
            var random = new RandomSource(1);
            var a = new Tensor(m * k);
            var b = new Tensor(k * n);
            var c = new Tensor(m * n);
            random.FillUniform(a.Span, -1f, 1f);
            random.FillUniform(b.Span, -1f, 1f);
            double seconds = Best(backend, repetitions, () => backend.Gemm(transA, transB, m, n, k, a, b, 0f, c));
            GemmPlanner.Plan plan = GemmPlanner.Choose(multiprocessors, m, n, k);
            output.WriteLine($"{name,-24} {m,5} {n,6} {k,5} {seconds * 1e3,8:F3} {2.0 * m * n * k / seconds / 1e9,8:F1}  " +
                $"{plan.Tiles} tiles x {plan.Chunks} k-chunk{(plan.Chunks == 1 ? "" : "s")}");
        }

        output.WriteLine();
        output.WriteLine($"{"Layer, batch " + batch,-32} {"fwd ms",8} {"GFLOP/s",8} {"bwd ms",8} {"GFLOP/s",8}");
        foreach (var (name, create, channels, size) in KernelBenchmark.ConvLayers)
        {
            Layer layer = create();
            layer.Backend = backend;
            (Tensor input, Tensor gradOutput, double flops) = KernelBenchmark.LayerOperands(layer, batch, channels, size);
            double forward = Best(backend, repetitions, () => layer.Forward(input));
            double backward = Best(backend, repetitions, () => layer.Backward(gradOutput));
            double backwardFlops = layer.NeedsInputGradient ? 2 * flops : flops;
            output.WriteLine($"{name,-32} {forward * 1e3,8:F2} {flops / forward / 1e9,8:F1} {backward * 1e3,8:F2} {backwardFlops / backward / 1e9,8:F1}");
        }
    }

    // With one repetition (--quick): one call, timed with whatever it compiles. Otherwise one untimed call (uploads and
    // kernel compilation) and one timed alone to size the batches of calls; then the best
    // of the repetitions, each a batch of calls lasting about 20 ms, queued back to back and ended by one device
    // synchronisation (so launch overhead is amortised as in training, where nothing waits between kernels).
    private static double Best(ComputeBackend backend, int repetitions, Action action)
    {
        if (repetitions == 1)
        {
            long once = Stopwatch.GetTimestamp();
            action();
            backend.Synchronize();
            return Stopwatch.GetElapsedTime(once).TotalSeconds;
        }
        action();
        backend.Synchronize();
        long probe = Stopwatch.GetTimestamp();
        action();
        backend.Synchronize();
        double single = Stopwatch.GetElapsedTime(probe).TotalSeconds;
        int calls = (int)Math.Clamp(0.02 / Math.Max(single, 1e-7), 1, 1000);
        double best = single;
        for (int rep = 0; rep < repetitions; rep++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++)
            {
                action();
            }
            backend.Synchronize();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / calls);
        }
        return best;
    }
}
