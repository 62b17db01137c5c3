// The GPU-vs-CPU step check a user (or scripts/gpu-check.sh, through the CLI) can run on a real device: one training
// step of a network on the CPU backend and on another backend from the same weights, images and noise, reporting the
// relative difference (max |a - b| / max |a|) of the loss and of every parameter gradient. The tests run the same
// comparison on ILGPU's CPU accelerator (tests/Trainer/Engine/Backends/FullStepParityTests.cs). It does not time anything.
using VaeOnnx.Trainer.Models;

using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Benchmarks;

public static class BackendParity
{
    /// <summary>The worst relative difference over the loss and every gradient; each is written to <paramref name="log"/>.</summary>
    /// <param name="iwaeSamples">0: the ELBO step; K >= 1: the importance-weighted step with K samples per image.</param>
    public static double CompareStep(VaeArchitecture architecture, int batch, ComputeBackend backend, TextWriter log, ulong seed = 1, int iwaeSamples = 0)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(iwaeSamples);
        var images = new Tensor(batch, architecture.Channels, architecture.Height, architecture.Width);
        new RandomSource(seed).FillUniform(images.Span, 0, 1);
        var eps = new Tensor(batch * Math.Max(iwaeSamples, 1), architecture.LatentSize);
        new RandomSource(seed + 1).FillGaussian(eps.Span);

        LossBreakdown Step(VaeNetwork network, out IReadOnlyList<Parameter> parameters)
        {
            network.ResetParameters(new RandomSource(seed + 2));
            parameters = network.Parameters;
            var ownImages = new Tensor(images.Shape.ToArray());
            var ownEps = new Tensor(eps.Shape.ToArray());
            images.Span.CopyTo(ownImages.Span);
            eps.Span.CopyTo(ownEps.Span);
            return iwaeSamples > 0 ? network.TrainStepIwae(ownImages, ownEps, iwaeSamples, 1f) : network.TrainStep(ownImages, ownEps, 1f);
        }

        LossBreakdown expected = Step(VaeNetwork.Create(architecture), out IReadOnlyList<Parameter> reference);
        LossBreakdown actual = Step(VaeNetwork.Create(architecture, backend), out IReadOnlyList<Parameter> compared);
        double worst = Math.Abs(expected.Total - actual.Total) / Math.Abs(expected.Total);
        string objective = iwaeSamples > 0 ? $", IWAE K {iwaeSamples}" : "";
        log.WriteLine($"{architecture.Describe()}, batch {batch}{objective}, {backend.DeviceName}: loss {expected.Total:R} (cpu) vs {actual.Total:R}, relative {worst:E2}");
        for (int i = 0; i < reference.Count; i++)
        {
            double relative = Relative(reference[i].Grad.Span, compared[i].Grad.Span);
            log.WriteLine($"  d{reference[i].Name}: relative {relative:E2}");
            worst = Math.Max(worst, relative);
        }
        log.WriteLine($"  worst: {worst:E2}");
        return worst;
    }

    /// <summary>max |expected - actual| / max |expected| (the absolute difference when expected is all zero).</summary>
    public static double Relative(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException($"Cannot compare {expected.Length} values with {actual.Length}.", nameof(actual));
        }
        double maxDiff = 0, maxAbs = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((double)expected[i] - actual[i]));
            maxAbs = Math.Max(maxAbs, Math.Abs((double)expected[i]));
        }
        return maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
    }
}
