// The K-sample importance-weighted step of VaeNetwork (TrainStepIwae) on whole networks:
//   - a tiny MLP VAE written out again in double (fc1, ReLU, heads, sample, fc3, ReLU, fc4, Bernoulli from logits, the
//     Gaussian densities, log-mean-exp): the same bound per batch, and every parameter's gradient against central
//     differences of that double reference, entry by entry;
//   - the conv VAE: directional finite differences of the engine's own float bound, one direction per tensor;
//   - the returned split (mean reconstruction + rest = bound) and its running-sum form, determinism, and the ELBO path
//     untouched by an IWAE step in between.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Models;

public class VaeNetworkIwaeTests
{
    private static Tensor Images(VaeArchitecture a, int n, ulong seed, bool binary)
    {
        var images = new Tensor(n, a.Channels, a.Height, a.Width);
        var random = new RandomSource(seed);
        random.FillUniform(images.Span, 0, 1);
        if (binary)
        {
            foreach (ref float v in images.Span)
            {
                v = v < 0.5f ? 0f : 1f;
            }
        }
        return images;
    }

    private static Tensor Noise(int rows, int latent, ulong seed)
    {
        var eps = new Tensor(rows, latent);
        new RandomSource(seed).FillGaussian(eps.Span);
        return eps;
    }

    // The MLP VAE's IWAE objective in double: sum over images of -(logsumexp_k a_nk - log K).
    private static double MlpReference(double[][] w, VaeArchitecture a, float[] x, float[] eps, int n, int samples, double beta)
    {
        int d = a.ImageSize, h = a.Hidden, l = a.LatentSize;
        double[] Dense(double[] weight, double[] bias, double[] input, int outputs, bool relu)
        {
            double[] y = new double[outputs];
            for (int o = 0; o < outputs; o++)
            {
                double sum = bias[o];
                for (int i = 0; i < input.Length; i++)
                {
                    sum += weight[o * input.Length + i] * input[i];
                }
                y[o] = relu ? Math.Max(sum, 0) : sum;
            }
            return y;
        }
        double total = 0, logTwoPi = Math.Log(2 * Math.PI);
        for (int image = 0; image < n; image++)
        {
            double[] pixels = [.. x.Skip(image * d).Take(d).Select(v => (double)v)];
            double[] hidden = Dense(w[0], w[1], pixels, h, relu: true);
            double[] mu = Dense(w[2], w[3], hidden, l, relu: false), logVar = Dense(w[4], w[5], hidden, l, relu: false);
            double[] logWeights = new double[samples];
            for (int k = 0; k < samples; k++)
            {
                double[] z = new double[l];
                double logQ = 0, logP = 0;
                for (int j = 0; j < l; j++)
                {
                    double e = eps[(image * samples + k) * l + j];
                    z[j] = mu[j] + Math.Exp(0.5 * logVar[j]) * e;
                    logQ += -0.5 * logTwoPi - 0.5 * logVar[j] - 0.5 * e * e;
                    logP += -0.5 * logTwoPi - 0.5 * z[j] * z[j];
                }
                double[] logits = Dense(w[8], w[9], Dense(w[6], w[7], z, h, relu: true), d, relu: false);
                double logLikelihood = 0;
                for (int i = 0; i < d; i++)
                {
                    // log p(x|z) for a Bernoulli with logit t: x t - log(1 + e^t)
                    double t = logits[i];
                    logLikelihood += pixels[i] * t - (Math.Max(t, 0) + Math.Log(1 + Math.Exp(-Math.Abs(t))));
                }
                logWeights[k] = logLikelihood + beta * (logP - logQ);
            }
            double max = logWeights.Max();
            total += -(max + Math.Log(logWeights.Sum(v => Math.Exp(v - max)) / samples));
        }
        return total;
    }

    [TestCase(1, 1f)]
    [TestCase(4, 1f)]
    [TestCase(6, 0.3f)]
    public void MlpBoundAndEveryGradientMatchADoubleReference(int samples, float beta)
    {
        VaeArchitecture a = VaeArchitecture.Mlp(1, 2, 3, latentSize: 2, hidden: 5);
        var network = VaeNetwork.Create(a);
        network.ResetParameters(new RandomSource(81));
        const int n = 3;
        Tensor images = Images(a, n, 82, binary: true);
        Tensor eps = Noise(n * samples, a.LatentSize, 83);
        LossBreakdown loss = network.TrainStepIwae(images, eps, samples, beta);

        double[][] weights = [.. network.Parameters.Select(p => p.Value.Span.ToArray().Select(v => (double)v).ToArray())];
        float[] x = images.Span.ToArray(), e = eps.Span.ToArray();
        double reference = MlpReference(weights, a, x, e, n, samples, 1);
        TestContext.Out.WriteLine($"K {samples}: bound engine {loss.Total:R}, double reference {reference:R}");
        Assert.That(loss.Total, Is.EqualTo(reference).Within(1e-5 * Math.Abs(reference)), "the bound at KL weight 1, summed over the batch");

        double worst = 0;
        for (int t = 0; t < weights.Length; t++)
        {
            Parameter p = network.Parameters[t];
            for (int i = 0; i < weights[t].Length; i++)
            {
                double original = weights[t][i], h = 1e-6;
                weights[t][i] = original + h;
                double plus = MlpReference(weights, a, x, e, n, samples, beta);
                weights[t][i] = original - h;
                double minus = MlpReference(weights, a, x, e, n, samples, beta);
                weights[t][i] = original;
                double numeric = (plus - minus) / (2 * h), analytic = p.Grad.Span[i];
                double error = Math.Abs(numeric - analytic) / Math.Max(Math.Abs(numeric), 1e-2);
                worst = Math.Max(worst, error);
                Assert.That(error, Is.LessThan(1e-4), $"{p.Name}[{i}]: numeric {numeric:G8}, analytic {analytic:G8}");
            }
        }
        TestContext.Out.WriteLine($"{weights.Sum(w => w.Length)} gradients, worst relative error {worst:E2} (floor 1e-2)");
    }

    // As VaeNetworkTests' directional check: one random unit direction per tensor, the better of two step sizes.
    [Test]
    public void ConvGradientMatchesDirectionalFiniteDifferencesOfTheBound()
    {
        VaeArchitecture a = VaeArchitecture.Conv(1, 12, 10, 3);
        var network = VaeNetwork.Create(a);
        network.ResetParameters(new RandomSource(91));
        const int n = 2, samples = 3;
        Tensor images = Images(a, n, 92, binary: true);
        Tensor eps = Noise(n * samples, a.LatentSize, 93);
        network.TrainStepIwae(images, eps, samples, 1f);
        Parameter[] parameters = [.. network.Parameters];
        float[][] gradients = [.. parameters.Select(p => p.Grad.Span.ToArray())];
        double Loss() => network.TrainStepIwae(images, eps, samples, 1f).Total;

        var directions = new RandomSource(94);
        double worst = 0;
        for (int t = 0; t < parameters.Length; t++)
        {
            Parameter p = parameters[t];
            float[] original = p.Value.Span.ToArray();
            double[] direction = [.. original.Select(_ => (double)directions.NextGaussian())];
            double norm = Math.Sqrt(direction.Sum(v => v * v));
            double analytic = 0;
            for (int i = 0; i < direction.Length; i++)
            {
                direction[i] /= norm;
                analytic += gradients[t][i] * direction[i];
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
            double gradientNorm = Math.Sqrt(gradients[t].Sum(g => (double)g * g));
            double error = Math.Min(Math.Abs(numericLarge - analytic), Math.Abs(numericSmall - analytic)) / Math.Max(gradientNorm, 1e-3);
            worst = Math.Max(worst, error);
            TestContext.Out.WriteLine($"{p.Name}: analytic {analytic:G6}, numeric {numericLarge:G6} / {numericSmall:G6}, error {error:E2} of |grad| {gradientNorm:G4}");
            Assert.That(error, Is.LessThan(2e-2), p.Name);
        }
        TestContext.Out.WriteLine($"worst {worst:E2}");
    }

    [Test]
    public void RunningSumsDeterminismAndTheElboPathAfterAnIwaeStep()
    {
        VaeArchitecture a = VaeArchitecture.Conv(1, 12, 10, 3);
        VaeNetwork Make()
        {
            var network = VaeNetwork.Create(a);
            network.ResetParameters(new RandomSource(5));
            return network;
        }
        Tensor images = Images(a, 4, 6, binary: true);
        VaeNetwork first = Make(), second = Make(), elboOnly = Make();

        LossBreakdown returned = first.TrainStepIwae(images, new RandomSource(7), 5, 0.5f);
        var sums = new LossValues(2);
        int count = second.TrainStepIwae(images, new RandomSource(7), 5, 0.5f, sums);
        Assert.That(count, Is.EqualTo(4));
        Assert.That(sums.Span.ToArray(), Is.EqualTo(new[] { returned.Reconstruction, returned.Kl }), "running sums = the returned split");
        for (int i = 0; i < first.Parameters.Count; i++)
        {
            Assert.That(second.Parameters[i].Grad.Span.ToArray(), Is.EqualTo(first.Parameters[i].Grad.Span.ToArray()), $"{first.Parameters[i].Name}: same gradient bit for bit");
        }
        Assert.That(first.ImportanceWeights.Length, Is.EqualTo(20));

        // An IWAE step leaves nothing behind that changes a later ELBO step.
        Tensor eps = Noise(4, a.LatentSize, 8);
        LossBreakdown after = first.TrainStep(images, eps, 1f);
        LossBreakdown fresh = elboOnly.TrainStep(images, eps, 1f);
        Assert.That(after, Is.EqualTo(fresh));
        for (int i = 0; i < first.Parameters.Count; i++)
        {
            Assert.That(first.Parameters[i].Grad.Span.ToArray(), Is.EqualTo(elboOnly.Parameters[i].Grad.Span.ToArray()), first.Parameters[i].Name);
        }
    }
}
