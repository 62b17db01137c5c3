// `bench kernels`: GEMM throughput on the shapes that dominate VAE training (both vector widths where the machine has
// AVX-512), the convolution layers' forward/backward times at batch 128, and the machine's peak for comparison.
// It does not train or compare with PyTorch (scripts/ does), and its numbers are only as quiet as the machine:
// every figure is the best of several repetitions, and other processes on the same cores still show up in it.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Trainer.Benchmarks;

public static class KernelBenchmark
{
    internal const int Batch = 128;

    // (what, transA, transB, m, n, k): the conv VAE's GEMMs over a whole batch of 128 (its layers run them in chunks of
    // 8-16 images, see BatchChunks) and the MLP VAE's (784-400-2). DeviceKernelBenchmark times the same shapes.
    internal static readonly (string Name, bool TransA, bool TransB, int M, int N, int K)[] Shapes =
    [
        ("conv2 fwd   W x cols", false, false, 64, 6272, 512),
        ("conv2 dW    dY x cols^T", false, true, 64, 512, 6272),
        ("conv2 dX    W^T x dY", true, false, 512, 6272, 64),
        ("convT1 fwd  W^T x X", true, false, 512, 6272, 64),
        ("conv1 fwd   W x cols", false, false, 32, 25088, 16),
        ("fc 3136->32 X x W^T", false, true, Batch, 32, 3136),
        ("fc 16->3136 X x W^T", false, true, Batch, 3136, 16),
        ("mlp 784->400 X x W^T", false, true, Batch, 400, 784),
        ("mlp 400->784 X x W^T", false, true, Batch, 784, 400),
        ("mlp dW      dY^T x X", true, false, 400, 784, Batch),
        ("mlp dX      dY x W", false, false, Batch, 784, 400),
        ("square 1024", false, false, 1024, 1024, 1024),
    ];

    public static void Run(TextWriter output, int threads)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int savedThreads = EngineThreads.Count;
        GemmKernel savedKernel = Gemm.Kernel;
        EngineThreads.Count = threads;
        try
        {
            output.WriteLine($"Kernel benchmark: {threads} thread(s) on {Environment.ProcessorCount} logical core(s); " +
                $"AVX-512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}, GEMM kernel {Gemm.Kernel}. Best of 7 runs each.");
            double peak = ReportPeak(output, threads);

            bool compareWidths = Gemm.BestKernel == GemmKernel.Vector512;
            output.WriteLine();
            output.WriteLine($"{"GEMM",-24} {"m",5} {"n",6} {"k",5} {"ms",8} {"GFLOP/s",8} {"% peak",6}" +
                (compareWidths ? $" {"256-bit GFLOP/s",16}" : ""));
            foreach (var (name, transA, transB, m, n, k) in Shapes)
            {
                double flops = 2.0 * m * n * k;
                double seconds = TimeGemm(transA, transB, m, n, k);
                string line = $"{name,-24} {m,5} {n,6} {k,5} {seconds * 1e3,8:F3} {flops / seconds / 1e9,8:F1} {100 * flops / seconds / 1e9 / peak,5:F0}%";
                if (compareWidths)
                {
                    Gemm.Kernel = GemmKernel.Vector256;
                    line += $" {flops / TimeGemm(transA, transB, m, n, k) / 1e9,16:F1}";
                    Gemm.Kernel = savedKernel;
                }
                output.WriteLine(line);
            }

            output.WriteLine();
            output.WriteLine($"{"Layer, batch " + Batch,-32} {"fwd ms",8} {"GFLOP/s",8} {"bwd ms",8} {"GFLOP/s",8}");
            foreach (var (name, create, channels, size) in ConvLayers)
            {
                TimeLayer(output, name, create(), channels, size);
            }
        }
        finally
        {
            EngineThreads.Count = savedThreads;
            Gemm.Kernel = savedKernel;
        }
    }

    /// <summary>The conv VAE's four convolution layers on 28x28 MNIST: (what, a new layer, input channels, input side).</summary>
    internal static readonly (string Name, Func<Layer> Create, int Channels, int Size)[] ConvLayers =
    [
        ("Conv2d 1->32 k4 s2 p1 28->14", () => new Conv2d("c1", 1, 32, 4, 2, 1) { NeedsInputGradient = false }, 1, 28),
        ("Conv2d 32->64 k4 s2 p1 14->7", () => new Conv2d("c2", 32, 64, 4, 2, 1), 32, 14),
        ("ConvT 64->32 k4 s2 p1 7->14", () => new ConvTranspose2d("d1", 64, 32, 4, 2, 1), 64, 7),
        ("ConvT 32->1 k4 s2 p1 14->28", () => new ConvTranspose2d("d2", 32, 1, 4, 2, 1), 32, 14),
    ];

    /// <summary>Multiply-adds x 2 of one forward pass of a convolution layer over <paramref name="batch"/> images.</summary>
    private static double ForwardFlops(Layer layer, Tensor output, int batch, int inputSize) => layer switch
    {
        Conv2d conv => 2.0 * batch * conv.InChannels * conv.OutChannels * conv.KernelSize * conv.KernelSize * output.Dim(2) * output.Dim(3),
        ConvTranspose2d deconv => 2.0 * batch * deconv.InChannels * deconv.OutChannels * deconv.KernelSize * deconv.KernelSize * inputSize * inputSize,
        _ => 0,
    };

    // Peak = cores x clock x FLOP per cycle. The clock is measured, not read from /proc/cpuinfo (which shows the base
    // clock of a VM, not the boost clock the cores run at): a chain of dependent integer ops retires one op per cycle
    // on every x86 core, so adds per second is the clock. FLOP per cycle = 2 FMA pipes x lanes x 2 (multiply and add):
    // Zen 4/5 and Intel server cores issue two 512-bit or 256-bit FMAs per cycle. The micro-kernel's own rate on data
    // in L1 (one core) shows how close the hardware lets it get.
    private static double ReportPeak(TextWriter output, int threads)
    {
        double ghz = MeasureClockGHz();
        int lanes = Gemm.Kernel switch { GemmKernel.Vector512 => 16, GemmKernel.Vector256 => 8, _ => 1 };
        int flopPerCycle = 2 * lanes * 2;
        int cores = Math.Min(threads, Environment.ProcessorCount);
        double peak = cores * ghz * flopPerCycle;
        output.WriteLine($"Peak estimate: {cores} core(s) x {ghz:F2} GHz (dependent integer chain) x {flopPerCycle} FLOP/cycle " +
            $"(2 FMA pipes x {lanes} lanes x 2) = {peak:F0} GFLOP/s.");
        if (Gemm.Kernel == GemmKernel.Vector512)
        {
            output.WriteLine($"Micro-kernel 8x32 on L1-resident panels, 1 core: {MicroKernelGFlops():F0} GFLOP/s " +
                $"({100 * MicroKernelGFlops() / (ghz * flopPerCycle):F0}% of one core's peak).");
        }
        return peak;
    }

    private static double MeasureClockGHz()
    {
        double best = 0;
        for (int rep = 0; rep < 20; rep++)
        {
            const int Iterations = 5_000_000;
            long start = Stopwatch.GetTimestamp();
            long x = DependentChain(rep, rep | 1, Iterations);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            GC.KeepAlive(x);
            best = Math.Max(best, Iterations * 4.0 / seconds / 1e9);
        }
        return best;
    }

    // Four dependent one-cycle integer operations per iteration (alternating xor and add, which the JIT cannot
    // reassociate or fold), so the loop's own counter and branch run alongside them.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long DependentChain(long x, long y, int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            x ^= i;
            x += y;
            x ^= y;
            x += i;
        }
        return x;
    }

    private static unsafe double MicroKernelGFlops()
    {
        const int Kc = 256;
        var a = GC.AllocateArray<float>(8 * Kc + 16, pinned: true);
        var b = GC.AllocateArray<float>(32 * Kc + 16, pinned: true);
        var c = GC.AllocateArray<float>(8 * 32 + 16, pinned: true);
        new RandomSource(3).FillUniform(a, -1f, 1f);
        new RandomSource(4).FillUniform(b, -1f, 1f);
        fixed (float* pa = a, pb = b, pc = c)
        {
            float* alignedA = (float*)(((nint)pa + 63) & ~(nint)63), alignedB = (float*)(((nint)pb + 63) & ~(nint)63);
            float* alignedC = (float*)(((nint)pc + 63) & ~(nint)63);
            double seconds = double.MaxValue;
            for (int rep = 0; rep < 7; rep++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < 20_000; i++)
                {
                    GemmMicroKernels.Vector512x8x32(alignedA, alignedB, Kc, alignedC, 32, 1f, 0f);
                }
                seconds = Math.Min(seconds, Stopwatch.GetElapsedTime(start).TotalSeconds / 20_000);
            }
            return 2.0 * 8 * 32 * Kc / seconds / 1e9;
        }
    }

    private static double TimeGemm(bool transA, bool transB, int m, int n, int k)
    {
        var random = new RandomSource(1);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        random.FillUniform(a, -1f, 1f);
        random.FillUniform(b, -1f, 1f);
        int lda = transA ? m : k, ldb = transB ? k : n;
        return Best(() => Gemm.Multiply(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n), 2.0 * m * n * k);
    }

    /// <summary>Seeded weights, a random input (batch, channels, size, size) and a random output gradient for timing a layer.</summary>
    internal static (Tensor Input, Tensor GradOutput, double ForwardFlops) LayerOperands(Layer layer, int batch, int channels, int size)
    {
        var random = new RandomSource(2);
        layer.ResetParameters(random);
        var input = new Tensor(batch, channels, size, size);
        random.FillUniform(input.Span, 0f, 1f);
        Tensor y = layer.Forward(input);
        var gradOutput = new Tensor(y.Shape.ToArray());
        random.FillUniform(gradOutput.Span, -1f, 1f);
        return (input, gradOutput, ForwardFlops(layer, y, batch, size));
    }

    private static void TimeLayer(TextWriter output, string name, Layer layer, int channels, int size)
    {
        (Tensor input, Tensor gradOutput, double flops) = LayerOperands(layer, Batch, channels, size);
        // Training calls each layer hundreds of times per epoch, so time the fully optimised (tier-1) code: the few
        // calls Best makes would otherwise leave the layer's own loops (im2col, col2im) in the JIT's first tier.
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < 200 || warmUp.ElapsedMilliseconds < 500; i++)
        {
            layer.Forward(input);
            layer.Backward(gradOutput);
        }
        double forward = Best(() => layer.Forward(input), flops);
        double backward = Best(() => layer.Backward(gradOutput), 2 * flops);
        double backwardFlops = layer.NeedsInputGradient ? 2 * flops : flops;
        output.WriteLine($"{name,-32} {forward * 1e3,8:F2} {flops / forward / 1e9,8:F1} {backward * 1e3,8:F2} {backwardFlops / backward / 1e9,8:F1}");
    }

    // Best of 7 repetitions, each long enough (>= 20 ms) to swamp timer resolution.
    private static double Best(Action action, double flops)
    {
        action();
        int inner = Math.Max(1, (int)Math.Min(1000, 4e8 / flops));
        double best = double.MaxValue;
        for (int rep = 0; rep < 7; rep++)
        {
            long start = Stopwatch.GetTimestamp();
            int calls = 0;
            do
            {
                for (int i = 0; i < inner; i++)
                {
                    action();
                }
                calls += inner;
            }
            while (Stopwatch.GetElapsedTime(start).TotalMilliseconds < 20);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / calls);
        }
        return best;
    }
}
