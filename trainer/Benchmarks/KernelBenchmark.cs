// `bench kernels`: GEMM throughput on the shapes that dominate VAE training and the convolution layers' timings,
// against an estimate of the machine's peak. It does not train or compare with PyTorch (see scripts/ for that), and
// its numbers are only as quiet as the machine: it reports the best of several repetitions.
using System.Diagnostics;
using System.Runtime.Intrinsics;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Trainer.Benchmarks;

public static class KernelBenchmark
{
    private const int Batch = 128;

    // (what, transA, transB, m, n, k): forward and backward GEMMs of the conv VAE (batch 128, im2col over the batch)
    // and of the MLP VAE 784-400-2.
    private static readonly (string Name, bool TransA, bool TransB, int M, int N, int K)[] Shapes =
    [
        ("conv2 fwd     W x cols", false, false, 64, 6272, 512),
        ("conv2 dW      dY x cols^T", false, true, 64, 512, 6272),
        ("conv2 dcols   W^T x dY", true, false, 512, 6272, 64),
        ("convT1 fwd    W^T x X", true, false, 512, 6272, 64),
        ("conv1 fwd     W x cols", false, false, 32, 25088, 16),
        ("linear 3136->32", false, true, Batch, 32, 3136),
        ("linear 16->3136", false, true, Batch, 3136, 16),
        ("mlp 784->400  X x W^T", false, true, Batch, 400, 784),
        ("mlp 400->784  X x W^T", false, true, Batch, 784, 400),
        ("mlp dW 400x784 dY^T x X", true, false, 400, 784, Batch),
        ("mlp dX        dY x W", false, false, Batch, 784, 400),
    ];

    public static void Run(TextWriter output, int threads)
    {
        ArgumentNullException.ThrowIfNull(output);
        int savedThreads = EngineThreads.Count;
        EngineThreads.Count = threads;
        try
        {
            output.WriteLine($"Kernel benchmark: {threads} thread(s), GEMM kernel {Gemm.Kernel}, " +
                $"Vector512 {(Vector512.IsHardwareAccelerated ? "yes" : "no")}, {Environment.ProcessorCount} logical cores.");
            double peak = EstimatePeak(output, threads);
            output.WriteLine();
            output.WriteLine($"{"GEMM (m x k) x (k x n)",-26} {"m",6} {"n",6} {"k",6} {"ms",9} {"GFLOP/s",9} {"% peak",7}");
            foreach (var (name, transA, transB, m, n, k) in Shapes)
            {
                double seconds = TimeGemm(transA, transB, m, n, k);
                double gflops = 2.0 * m * n * k / seconds / 1e9;
                output.WriteLine($"{name,-26} {m,6} {n,6} {k,6} {seconds * 1e3,9:F3} {gflops,9:F1} {100 * gflops / peak,6:F0}%");
            }
            output.WriteLine();
            output.WriteLine($"Convolution layers, batch {Batch} ({"forward",9} / {"backward",9} ms)");
            TimeLayer(output, "Conv2d 1->32 k4 s2 p1 28->14", new Conv2d("c1", 1, 32, 4, 2, 1) { NeedsInputGradient = false }, 1, 28);
            TimeLayer(output, "Conv2d 32->64 k4 s2 p1 14->7", new Conv2d("c2", 32, 64, 4, 2, 1), 32, 14);
            TimeLayer(output, "ConvT 64->32 k4 s2 p1 7->14", new ConvTranspose2d("d1", 64, 32, 4, 2, 1), 64, 7);
            TimeLayer(output, "ConvT 32->1 k4 s2 p1 14->28", new ConvTranspose2d("d2", 32, 1, 4, 2, 1), 32, 14);
        }
        finally
        {
            EngineThreads.Count = savedThreads;
        }
    }

    // Peak = cores x clock x FLOP per cycle. The clock is measured: a chain of dependent scalar adds retires one per
    // cycle (latency 1 on every x86 core since the P6), so adds per second is the clock. FLOP per cycle is 2 FMA pipes
    // x vector lanes x 2 (Zen 4/5 and Intel server cores have two 512-bit or 256-bit FMA units).
    private static double EstimatePeak(TextWriter output, int threads)
    {
        double ghz = MeasureClockGHz();
        int lanes = Gemm.Kernel switch { GemmKernel.Vector512 => 16, GemmKernel.Vector256 => 8, _ => 1 };
        double flopPerCycle = 2 * lanes * 2;
        int cores = Math.Min(threads, Environment.ProcessorCount);
        double peak = cores * ghz * flopPerCycle;
        output.WriteLine($"Peak estimate: {cores} core(s) x {ghz:F2} GHz (measured by a dependent-add chain) x " +
            $"{flopPerCycle} FLOP/cycle (2 FMA pipes x {lanes} lanes x 2) = {peak:F0} GFLOP/s.");
        return peak;
    }

    private static double MeasureClockGHz()
    {
        double best = 0;
        for (int rep = 0; rep < 5; rep++)
        {
            long x = 0;
            const int Iterations = 50_000_000;
            var watch = Stopwatch.StartNew();
            x = DependentAdds(x, Iterations);
            double seconds = watch.Elapsed.TotalSeconds;
            GC.KeepAlive(x);
            best = Math.Max(best, Iterations * 4 / seconds / 1e9);
        }
        return best;
    }

    // Four dependent adds per iteration, so the loop's own increment and branch run alongside them.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static long DependentAdds(long x, int iterations)
    {
        for (int i = 0; i < iterations; i++)
        {
            x += i;
            x += 3;
            x += i;
            x += 5;
        }
        return x;
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

    private static void TimeLayer(TextWriter output, string name, Layer layer, int channels, int size)
    {
        var random = new RandomSource(2);
        layer.ResetParameters(random);
        var input = new Tensor(Batch, channels, size, size);
        random.FillUniform(input.Span, 0f, 1f);
        Tensor y = layer.Forward(input);
        var gradOutput = new Tensor(y.Shape.ToArray());
        random.FillUniform(gradOutput.Span, -1f, 1f);
        double forward = Best(() => layer.Forward(input), 1e9);
        double backward = Best(() => layer.Backward(gradOutput), 1e9);
        output.WriteLine($"{name,-32} {forward * 1e3,9:F2} / {backward * 1e3,9:F2}");
    }

    // Best of 7 repetitions, each long enough (>= 20 ms) to swamp timer resolution.
    private static double Best(Action action, double flops)
    {
        action();
        int inner = Math.Max(1, (int)Math.Min(1000, 4e9 / flops));
        double best = double.MaxValue;
        for (int rep = 0; rep < 7; rep++)
        {
            var watch = Stopwatch.StartNew();
            int calls = 0;
            do
            {
                for (int i = 0; i < inner; i++)
                {
                    action();
                }
                calls += inner;
            }
            while (watch.Elapsed.TotalMilliseconds < 20);
            best = Math.Min(best, watch.Elapsed.TotalSeconds / calls);
        }
        return best;
    }
}
