// Whole-network checks: every parameter's gradient against finite differences of the loss (directional derivatives,
// one random direction per parameter tensor), KL weighting, determinism bit for bit, no steady-state allocation,
// and a few Adam steps lowering the loss.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Models;

public class VaeNetworkTests
{
    public static IEnumerable<TestCaseData> SmallArchitectures()
    {
        yield return new TestCaseData(VaeArchitecture.Conv(2, 9, 11, 3)).SetArgDisplayNames("conv 2x9x11 bernoulli");
        yield return new TestCaseData(VaeArchitecture.Conv(1, 16, 15, 4, Likelihood.Gaussian, 0.5)).SetArgDisplayNames("conv 1x16x15 gaussian");
        yield return new TestCaseData(VaeArchitecture.Mlp(1, 5, 7, 2, hidden: 13)).SetArgDisplayNames("mlp 1x5x7 bernoulli");
        yield return new TestCaseData(VaeArchitecture.Mlp(3, 4, 3, 3, hidden: 9, Likelihood.Gaussian, 0.4)).SetArgDisplayNames("mlp 3x4x3 gaussian");
    }

    private static Tensor Images(VaeArchitecture a, int n, ulong seed)
    {
        var images = new Tensor(n, a.Channels, a.Height, a.Width);
        new RandomSource(seed).FillUniform(images.Span, 0, 1);
        return images;
    }

    // For each parameter tensor P and a random unit direction D over it, compares (L(P + hD) - L(P - hD)) / 2h with
    // sum(dP * D). A direction averages over the whole tensor, so float rounding matters far less than for single
    // entries; a wrong or missing term (a head, the KL weight, the reparameterised path) changes the derivative by O(1).
    // A ReLU whose input lies within h of zero bends the loss inside the step; it distorts the difference at one step
    // size, but rarely at both of h = 3e-3 and h = 1e-3, whereas a wrong gradient distorts both: the better one counts.
    [TestCaseSource(nameof(SmallArchitectures))]
    public void EveryParameterGradientMatchesADirectionalFiniteDifference(VaeArchitecture architecture)
    {
        var network = VaeNetwork.Create(architecture);
        network.ResetParameters(new RandomSource(71));
        Tensor images = Images(architecture, 3, 72);
        var eps = new Tensor(3, architecture.LatentSize);
        new RandomSource(73).FillGaussian(eps.Span);
        const float klWeight = 0.6f;

        network.TrainStep(images, eps, klWeight);
        double Loss()
        {
            LossBreakdown b = network.Evaluate(images, eps);
            return b.Reconstruction + klWeight * b.Kl;
        }

        var directions = new RandomSource(74);
        double worst = 0;
        foreach (Parameter p in network.Parameters)
        {
            float[] original = p.Value.Span.ToArray();
            var direction = new double[original.Length];
            double norm = 0;
            for (int i = 0; i < direction.Length; i++)
            {
                direction[i] = directions.NextGaussian();
                norm += direction[i] * direction[i];
            }
            double analytic = 0;
            for (int i = 0; i < direction.Length; i++)
            {
                direction[i] /= Math.Sqrt(norm);
                analytic += p.Grad.Span[i] * direction[i];
            }
            double Shifted(double h)
            {
                for (int i = 0; i < original.Length; i++)
                {
                    p.Value.Span[i] = (float)(original[i] + h * direction[i]);
                }
                return Loss();
            }
            double numericLarge = (Shifted(3e-3) - Shifted(-3e-3)) / 6e-3;
            double numericSmall = (Shifted(1e-3) - Shifted(-1e-3)) / 2e-3;
            original.CopyTo(p.Value.Span);
            double gradientNorm = Math.Sqrt(p.Grad.Span.ToArray().Sum(g => (double)g * g));
            // Relative to the gradient's norm: the directional derivative is one projection of it.
            double scale = Math.Max(gradientNorm, 1e-6);
            double error = Math.Min(Math.Abs(numericLarge - analytic), Math.Abs(numericSmall - analytic)) / scale;
            worst = Math.Max(worst, error);
            TestContext.Out.WriteLine(
                $"{p.Name}: numeric {numericLarge:G6} (h 3e-3) {numericSmall:G6} (h 1e-3), analytic {analytic:G6}, |grad| {gradientNorm:G4}, error {error:E2}");
        }
        TestContext.Out.WriteLine($"{architecture.Describe()}: max error {worst:E2} (tolerance 1e-2 of |grad|)");
        Assert.That(worst, Is.LessThan(1e-2));
    }

    [Test]
    public void TrainStepReportsUnweightedSumsAndTheKlWeightOnlyScalesItsGradient()
    {
        var architecture = VaeArchitecture.Mlp(1, 6, 6, 2, hidden: 8);
        var network = VaeNetwork.Create(architecture);
        network.ResetParameters(new RandomSource(81));
        Tensor images = Images(architecture, 4, 82);
        var eps = new Tensor(4, 2);
        new RandomSource(83).FillGaussian(eps.Span);

        LossBreakdown evaluated = network.Evaluate(images, eps);
        LossBreakdown weighted = network.TrainStep(images, eps, 0.25f);
        float[] muBiasGrad = network.MuHead.Bias.Grad.Span.ToArray();
        float[] decoderGrad = network.Parameters[^1].Grad.Span.ToArray();
        network.TrainStep(images, eps, 0f);
        float[] muBiasGradNoKl = network.MuHead.Bias.Grad.Span.ToArray();

        Assert.That(weighted, Is.EqualTo(evaluated), "reported losses are the same unweighted sums");
        Assert.That(weighted.Count, Is.EqualTo(4));
        Assert.That(weighted.TotalPerImage, Is.EqualTo((weighted.Reconstruction + weighted.Kl) / 4));
        Assert.That(network.Parameters[^1].Grad.Span.ToArray(), Is.EqualTo(decoderGrad), "the KL weight does not reach the decoder");
        // dKL/d(mu bias) = sum over the batch of mu, scaled by the weight.
        (Tensor mu, _) = network.Encode(images);
        for (int j = 0; j < 2; j++)
        {
            double muSum = 0;
            for (int i = 0; i < 4; i++)
            {
                muSum += mu.Span[i * 2 + j];
            }
            Assert.That(muBiasGrad[j] - muBiasGradNoKl[j], Is.EqualTo(0.25 * muSum).Within(1e-5), $"KL part of mu bias gradient [{j}]");
        }
    }

    [TestCase("conv")]
    [TestCase("mlp")]
    public void SameSeedGivesBitIdenticalTraining(string kind)
    {
        (double[] Losses, float[] Weights) Run()
        {
            VaeArchitecture architecture = kind == "conv" ? VaeArchitecture.Conv(1, 12, 12, 4) : VaeArchitecture.Mlp(1, 12, 12, 2, hidden: 32);
            var network = VaeNetwork.Create(architecture);
            network.ResetParameters(new RandomSource(91));
            var adam = new Adam(network.Parameters);
            var noise = new RandomSource(92);
            Tensor images = Images(architecture, 8, 93);
            var losses = new List<double>();
            for (int step = 0; step < 4; step++)
            {
                LossBreakdown loss = network.TrainStep(images, noise, 1f);
                adam.Step();
                losses.Add(loss.Reconstruction);
                losses.Add(loss.Kl);
            }
            return ([.. losses], network.Parameters[0].Value.Span.ToArray());
        }

        var first = Run();
        var second = Run();
        TestContext.Out.WriteLine($"{kind}: losses {string.Join(", ", first.Losses.Select(l => l.ToString("R")))}");
        Assert.That(second.Losses, Is.EqualTo(first.Losses));
        Assert.That(second.Weights, Is.EqualTo(first.Weights));
    }

    [Test]
    [NonParallelizable] // changes the process-wide engine thread count
    public void TheThreadCountDoesNotChangeTheResults()
    {
        var results = new List<(double[] Losses, float[] Weights)>();
        int saved = EngineThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                EngineThreads.Count = threads;
                var architecture = VaeArchitecture.Conv(1, 16, 16, 4);
                var network = VaeNetwork.Create(architecture);
                network.ResetParameters(new RandomSource(95));
                var adam = new Adam(network.Parameters);
                var noise = new RandomSource(96);
                Tensor images = Images(architecture, 37, 97);
                var losses = new List<double>();
                for (int step = 0; step < 3; step++)
                {
                    losses.Add(network.TrainStep(images, noise, 1f).Total);
                    adam.Step();
                }
                results.Add(([.. losses], [.. network.Parameters.SelectMany(p => p.Value.Span.ToArray())]));
            }
        }
        finally
        {
            EngineThreads.Count = saved;
        }
        TestContext.Out.WriteLine($"losses with 1 thread: {string.Join(", ", results[0].Losses.Select(l => l.ToString("R")))}");
        for (int i = 1; i < results.Count; i++)
        {
            Assert.That(results[i].Losses, Is.EqualTo(results[0].Losses), $"losses with {i + 1} threads");
            Assert.That(results[i].Weights, Is.EqualTo(results[0].Weights), $"weights with {i + 1} threads");
        }
    }

    [TestCase("conv")]
    [TestCase("mlp")]
    public void SteadyStateTrainingAllocatesNothing(string kind)
    {
        VaeArchitecture architecture = kind == "conv" ? VaeArchitecture.Conv(1, 28, 28, 16) : VaeArchitecture.Mlp(1, 28, 28, 2, 400);
        var network = VaeNetwork.Create(architecture);
        network.ResetParameters(new RandomSource(101));
        var adam = new Adam(network.Parameters);
        var noise = new RandomSource(102);
        Tensor images = Images(architecture, 16, 103);
        // Warm-up. Each thread's ThreadScratch slots grow to the largest size that thread has been asked for, and which
        // thread claims which index depends on the OS: on a loaded machine this thread can claim, for the first time in
        // the measured steps, a task it never ran in the warm-up and grow a slot then. One step with the engine on this
        // thread alone runs every task here first, so what is measured below is the steady state whatever the scheduling.
        int threads = EngineThreads.Count;
        try
        {
            EngineThreads.Count = 1;
            network.TrainStep(images, noise, 1f);
            adam.Step();
        }
        finally
        {
            EngineThreads.Count = threads;
        }
        for (int i = 0; i < 2; i++)
        {
            network.TrainStep(images, noise, 1f);
            adam.Step();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            network.TrainStep(images, noise, 1f);
            adam.Step();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"{kind}: {allocated} bytes allocated over 3 steady-state training steps (TrainStep + Adam.Step)");
        Assert.That(allocated, Is.Zero);
    }

    [TestCase("conv")]
    [TestCase("mlp")]
    public void AdamStepsLowerTheLossOnAFixedBatch(string kind)
    {
        VaeArchitecture architecture = kind == "conv" ? VaeArchitecture.Conv(1, 14, 14, 4) : VaeArchitecture.Mlp(1, 14, 14, 2, hidden: 64);
        var network = VaeNetwork.Create(architecture);
        network.ResetParameters(new RandomSource(111));
        var adam = new Adam(network.Parameters, new AdamOptions(LearningRate: 3e-3));
        var noise = new RandomSource(112);
        // Binary images: a bar at a random row, so there is structure to learn.
        var images = new Tensor(16, 1, 14, 14);
        var random = new RandomSource(113);
        for (int i = 0; i < 16; i++)
        {
            int row = random.NextInt(14);
            images.Span.Slice(i * 196 + row * 14, 14).Fill(1f);
        }
        double first = network.TrainStep(images, noise, 1f).TotalPerImage;
        adam.Step();
        double last = first;
        for (int step = 0; step < 30; step++)
        {
            last = network.TrainStep(images, noise, 1f).TotalPerImage;
            adam.Step();
        }
        TestContext.Out.WriteLine($"{kind}: loss per image {first:F2} -> {last:F2} after 31 Adam steps");
        Assert.That(last, Is.LessThan(0.7 * first));
    }
}
