// A MODEL of a training step's time on a GPU, not a measurement: each launch of one recorded step (StepLaunches, a
// dry run on any GPU backend, ILGPU's CPU accelerator included) is priced with a few published figures of the card
// (SM count, FP32 rate, memory bandwidth) and a few assumptions (launch cost, the GEMM's share of the FP32 peak, the
// global-load latency a k-slice waits for when nothing hides it, a host sync's cost), all printed with the result.
//   GEMM launch:  each thread group takes k-slices per group x slice time + one exposed load latency, where a slice
//                 is TileM x TileN x Depth FMAs on one SM at the assumed efficiency, plus the exposed latency of every
//                 slice for a kernel that does not double-buffer its tiles; groups go, in launch order, to whichever SM
//                 frees first (one at a time per SM), and the launch lasts until the last finishes (for a single
//                 product that is ceil(groups / SMs) waves)
//   other launch: bytes moved (about 12 per thread: two reads and a write) / bandwidth
//   each launch:  at least the launch cost; each host sync adds the sync cost (the device drains, the host refills)
// It is what the issue's review did by hand, made repeatable; a GPU check (scripts/gpu-check.sh) measures the truth.
using System.Globalization;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Trainer.Benchmarks;

/// <summary>The card and the assumptions the model prices launches with (H100 SXM by default).</summary>
/// <param name="Fp32FlopsPerSecond">The card's FP32 peak (FMA = 2 FLOP), without tensor cores.</param>
/// <param name="GemmEfficiency">The share of an SM's FP32 peak the GEMM's inner loop reaches.</param>
/// <param name="LoadLatencySeconds">A global load's round trip, exposed once per k-slice unless the tiles are double-buffered.</param>
/// <param name="DoubleBuffered">Whether the GEMM overlaps the next slice's loads with this slice's math.</param>
public sealed record GpuModel(string Name, int Sms, double Fp32FlopsPerSecond, double BytesPerSecond, double LaunchSeconds, double SyncSeconds,
    double GemmEfficiency, double LoadLatencySeconds, bool DoubleBuffered)
{
    /// <summary>
    /// H100 SXM: 132 SMs, 67 TFLOP/s FP32, 3.35 TB/s (80% of it assumed reachable); 3 us per back-to-back launch,
    /// 15 us per host sync, 0.6 us load latency; the GEMM's efficiency is the caller's (see ForGemm).
    /// </summary>
    public static GpuModel H100(double gemmEfficiency, bool doubleBuffered) =>
        new("H100 SXM (model)", 132, 67e12, 0.8 * 3.35e12, 3e-6, 15e-6, gemmEfficiency, 0.6e-6, doubleBuffered);
}

public static class StepTimeModel
{
    /// <summary>One launch as the model prices it.</summary>
    public readonly record struct PricedLaunch(KernelLaunch Launch, int SlicesPerGroup, double Seconds);

    /// <summary>Prices every launch of a step; the step's time is their sum plus the syncs' cost.</summary>
    public static (IReadOnlyList<PricedLaunch> Launches, double StepSeconds) Price(GpuModel model, IReadOnlyList<KernelLaunch> launches, int syncs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(launches);
        var priced = new List<PricedLaunch>(launches.Count);
        double total = syncs * model.SyncSeconds;
        foreach (KernelLaunch launch in launches)
        {
            (double seconds, int slices) = Seconds(model, launch);
            seconds = Math.Max(seconds, model.LaunchSeconds);
            priced.Add(new PricedLaunch(launch, slices, seconds));
            total += seconds;
        }
        return (priced, total);
    }

    /// <summary>
    /// The GEMM this engine runs now, as the model sees it (Engine/Backends/Dense/GemmGpu.cs): 4 x 8 outputs per thread
    /// from 128-bit shared loads (3 loads per 32 FMAs) and double-buffered tiles, assumed to reach 65% of an SM's FP32
    /// peak. The GEMM it replaced (4 x 4 from scalar loads, 2 per 4 FMAs, single-buffered) was priced at 50% with every
    /// slice's load latency exposed: GpuModel.H100(0.5, false).
    /// </summary>
    public static GpuModel EngineOnH100 => GpuModel.H100(gemmEfficiency: 0.65, doubleBuffered: true);

    /// <summary>The conv VAE on MNIST (60,000 images) and on 64x64 RGB (50,000, as scripts/gpu-check.sh times it), batch 128.</summary>
    public static void PrintVaeSteps(TextWriter output, GpuBackend backend)
    {
        ArgumentNullException.ThrowIfNull(output);
        GpuModel model = EngineOnH100;
        output.WriteLine(F($"MODEL, NOT A MEASUREMENT: {model.Name}, {model.Sms} SMs, {model.Fp32FlopsPerSecond / 1e12:F0} TFLOP/s FP32, {model.BytesPerSecond / 1e12:F2} TB/s reachable;"));
        output.WriteLine(F($"assumed: {model.LaunchSeconds * 1e6:F0} us per launch, {model.SyncSeconds * 1e6:F0} us per host sync, GEMM at {model.GemmEfficiency:P0} of an SM's FP32 peak, {model.LoadLatencySeconds * 1e6:F1} us load latency{(model.DoubleBuffered ? " (hidden by double-buffered tiles after the first slice)" : " exposed every k-slice")}."));
        output.WriteLine();
        Print(output, "MNIST", VaeArchitecture.Conv(1, 28, 28, 16), 128, 60_000, model, backend);
        output.WriteLine();
        Print(output, "64x64 RGB", VaeArchitecture.Conv(3, 64, 64, 16), 128, 50_000, model, backend);
    }

    /// <summary>Prints one network's step, launch by launch, and the modelled epoch of <paramref name="epochImages"/> images.</summary>
    public static double Print(TextWriter output, string title, VaeArchitecture architecture, int batch, int epochImages, GpuModel model,
        GpuBackend backend)
    {
        ArgumentNullException.ThrowIfNull(output);
        (IReadOnlyList<KernelLaunch> launches, IReadOnlyList<string> syncs) = StepLaunches.Record(architecture, batch, backend, dryRun: true);
        (IReadOnlyList<PricedLaunch> priced, double step) = Price(model, launches, syncs.Count);
        int steps = (epochImages + batch - 1) / batch;
        output.WriteLine(F($"{title}: {architecture.Describe()}, batch {batch}: {launches.Count} launches, {syncs.Count} host syncs per step"));
        output.WriteLine(F($"  {"kernel",-28} {"groups x threads",18} {"k-slices",8} {"model us",9}  work"));
        foreach (PricedLaunch p in priced)
        {
            KernelLaunch l = p.Launch;
            string grid = l.GroupSize == 0 ? F($"{l.Groups} threads") : F($"{l.Groups} x {l.GroupSize}");
            output.WriteLine(F($"  {l.Kernel,-28} {grid,18} {(p.SlicesPerGroup > 0 ? p.SlicesPerGroup.ToString(CultureInfo.InvariantCulture) : "-"),8} {p.Seconds * 1e6,9:F1}  {l.Gemm?.ToString() ?? ""}"));
        }
        foreach (string sync in syncs)
        {
            output.WriteLine(F($"  host sync: {sync} ({model.SyncSeconds * 1e6:F0} us)"));
        }
        output.WriteLine(F($"  MODEL: {step * 1e3:F3} ms per step; {steps} steps per epoch of {epochImages:N0} images: {step * steps:F2} s per epoch (not measured)"));
        // The same launches under harsher assumptions, for a range rather than a point.
        GpuModel harsh = model with { GemmEfficiency = model.GemmEfficiency * 0.5, LaunchSeconds = model.LaunchSeconds * 2 };
        double harshStep = Price(harsh, launches, syncs.Count).StepSeconds;
        output.WriteLine(F($"  MODEL, harsher (GEMM at {harsh.GemmEfficiency:P0}, {harsh.LaunchSeconds * 1e6:F0} us per launch): {harshStep * 1e3:F3} ms per step, {harshStep * steps:F2} s per epoch"));
        return step * steps;
    }

    private static (double Seconds, int Slices) Seconds(GpuModel model, KernelLaunch launch)
    {
        if (launch.Gemm is GemmLaunch gemm && !gemm.IsReduction)
        {
            double perSmFlops = model.Fp32FlopsPerSecond / model.Sms * model.GemmEfficiency;
            var freeAt = new PriorityQueue<int, double>();
            for (int sm = 0; sm < model.Sms; sm++)
            {
                freeAt.Enqueue(sm, 0);
            }
            double end = 0;
            int slices = 0;
            foreach (GemmWork p in gemm.Problems)
            {
                double slice = 2.0 * p.TileM * p.TileN * p.Depth / perSmFlops + (model.DoubleBuffered ? 0 : model.LoadLatencySeconds);
                double perGroup = p.SlicesPerGroup * slice + model.LoadLatencySeconds;
                slices = Math.Max(slices, p.SlicesPerGroup);
                for (int g = 0; g < p.Groups; g++)
                {
                    freeAt.TryDequeue(out int sm, out double start);
                    end = Math.Max(end, start + perGroup);
                    freeAt.Enqueue(sm, start + perGroup);
                }
            }
            return (end, slices);
        }
        if (launch.Gemm is GemmLaunch reduction)
        {
            double bytes = reduction.Problems.Sum(p => (p.Split + 1.0) * p.M * p.N * sizeof(float));
            return (bytes / model.BytesPerSecond, 0);
        }
        return (12.0 * launch.Threads / model.BytesPerSecond, 0);
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
