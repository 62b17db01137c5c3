// The importance-weighted bound against a brute-force reference written out in double: a stand-in decoder whose
// reconstruction term is an explicit function of z, r(z) = sum_j c_j (z_j - t_j)^2 + 3, so the whole objective
//   sum_n -(log (1/K) sum_k exp(-(r(z_nk) + beta (log q(z_nk|x) - log p(z_nk)))))
// with log q and log p written as Gaussian densities (2 pi terms and all), is computed here without the class, and
// its derivative with respect to every mu and logvar is taken by central differences in double. The class must give
// the same bound, weights summing to one per image, and the same gradient.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Losses;

namespace VaeOnnx.Tests.Trainer.Engine.Losses;

public class ImportanceWeightedBoundTests
{
    private sealed record Problem(int N, int L, int K, float[] Mu, float[] LogVar, float[] Eps, double[] C, double[] T);

    private static Problem Make(int n, int latent, int samples, ulong seed)
    {
        var random = new RandomSource(seed);
        float[] mu = new float[n * latent], logVar = new float[n * latent], eps = new float[n * samples * latent];
        random.FillUniform(mu, -1.5f, 1.5f);
        random.FillUniform(logVar, -2f, 1f);
        random.FillGaussian(eps);
        double[] c = [.. Enumerable.Range(0, latent).Select(_ => 0.5 + 2 * random.NextFloat())];
        double[] t = [.. Enumerable.Range(0, latent).Select(_ => 2 * random.NextFloat() - 1)];
        return new Problem(n, latent, samples, mu, logVar, eps, c, t);
    }

    private static double Reconstruction(Problem p, ReadOnlySpan<double> z)
    {
        double r = 3;
        for (int j = 0; j < p.L; j++)
        {
            r += p.C[j] * (z[j] - p.T[j]) * (z[j] - p.T[j]);
        }
        return r;
    }

    // The objective in double from the densities, per image; mu and logvar as given (the finite differences move them).
    private static double[] Reference(Problem p, double[] mu, double[] logVar, double beta)
    {
        double[] bound = new double[p.N];
        double logTwoPi = Math.Log(2 * Math.PI);
        for (int n = 0; n < p.N; n++)
        {
            double[] a = new double[p.K];
            for (int k = 0; k < p.K; k++)
            {
                double[] z = new double[p.L];
                double logQ = 0, logP = 0;
                for (int j = 0; j < p.L; j++)
                {
                    double m = mu[n * p.L + j], lv = logVar[n * p.L + j], e = p.Eps[(n * p.K + k) * p.L + j];
                    z[j] = m + Math.Exp(0.5 * lv) * e;
                    logQ += -0.5 * logTwoPi - 0.5 * lv - 0.5 * (z[j] - m) * (z[j] - m) / Math.Exp(lv);
                    logP += -0.5 * logTwoPi - 0.5 * z[j] * z[j];
                }
                a[k] = -(Reconstruction(p, z) + beta * (logQ - logP));
            }
            double max = a.Max();
            bound[n] = -(max + Math.Log(a.Sum(v => Math.Exp(v - max)) / p.K));
        }
        return bound;
    }

    // The class with the stand-in decoder: r and dr/dz computed here from the class's own z.
    private static (double[] Bound, float[] Weights, float[] GradMu, float[] GradLogVar) Engine(Problem p, float beta)
    {
        var bound = new ImportanceWeightedBound();
        var mu = new Tensor(p.N, p.L);
        var logVar = new Tensor(p.N, p.L);
        var eps = new Tensor(p.N * p.K, p.L);
        p.Mu.CopyTo(mu.Span);
        p.LogVar.CopyTo(logVar.Span);
        p.Eps.CopyTo(eps.Span);
        Tensor z = bound.Sample(mu, logVar, eps, p.K);
        var reconstruction = new LossValues(p.N * p.K);
        var gradient = new Tensor(p.N * p.K, p.L);
        for (int row = 0; row < p.N * p.K; row++)
        {
            double[] zr = [.. z.Span.Slice(row * p.L, p.L).ToArray().Select(v => (double)v)];
            reconstruction.Span[row] = Reconstruction(p, zr);
            for (int j = 0; j < p.L; j++)
            {
                gradient.Span[row * p.L + j] = (float)(2 * p.C[j] * (zr[j] - p.T[j]));
            }
        }
        bound.Compute(reconstruction, beta);
        bound.Backward(bound.WeightRows(gradient));
        return (bound.Bound(), bound.Weights.Span.ToArray(), bound.GradMu.Span.ToArray(), bound.GradLogVar.Span.ToArray());
    }

    [TestCase(1, 1, 1, 1f)]
    [TestCase(3, 4, 5, 1f)]
    [TestCase(2, 3, 7, 0.4f)]
    [TestCase(4, 2, 50, 1f)]
    public void BoundAndGradientMatchABruteForceReferenceInDouble(int n, int latent, int samples, float beta)
    {
        Problem p = Make(n, latent, samples, (ulong)(100 + n * latent * samples));
        (double[] bound, float[] weights, float[] gradMu, float[] gradLogVar) = Engine(p, beta);

        double[] mu = [.. p.Mu.Select(v => (double)v)], logVar = [.. p.LogVar.Select(v => (double)v)];
        double[] expected = Reference(p, mu, logVar, 1);
        TestContext.Out.WriteLine($"bound per image: engine [{string.Join(", ", bound.Select(b => b.ToString("F6")))}], reference [{string.Join(", ", expected.Select(b => b.ToString("F6")))}]");
        Assert.That(bound, Is.EqualTo(expected).Within(1e-4), "the bound at KL weight 1 (nats)");
        for (int i = 0; i < n; i++)
        {
            double sum = weights.Skip(i * samples).Take(samples).Sum(w => (double)w);
            Assert.That(sum, Is.EqualTo(1).Within(1e-6), $"weights of image {i} sum to 1");
        }

        // d(sum of the beta-weighted objective)/d(mu, logvar) by central differences in double.
        double Objective() => Reference(p, mu, logVar, beta).Sum();
        double worst = 0;
        foreach ((double[] variable, float[] analytic, string name) in new[] { (mu, gradMu, "mu"), (logVar, gradLogVar, "logvar") })
        {
            for (int i = 0; i < variable.Length; i++)
            {
                double original = variable[i], h = 1e-5;
                variable[i] = original + h;
                double plus = Objective();
                variable[i] = original - h;
                double minus = Objective();
                variable[i] = original;
                double numeric = (plus - minus) / (2 * h);
                double error = Math.Abs(numeric - analytic[i]) / Math.Max(1, Math.Abs(numeric));
                worst = Math.Max(worst, error);
                Assert.That(error, Is.LessThan(2e-5), $"d/d{name}[{i}]: numeric {numeric:G8}, analytic {analytic[i]:G8}");
            }
        }
        TestContext.Out.WriteLine($"N {n}, L {latent}, K {samples}, beta {beta}: worst gradient error {worst:E2} (relative, floor 1)");
    }

    [Test]
    public void OneSampleIsTheElboWithASampledKl()
    {
        Problem p = Make(3, 4, 1, 7);
        (double[] bound, float[] weights, _, _) = Engine(p, 1f);
        Assert.That(weights, Is.All.EqualTo(1f), "one sample carries all the weight");
        for (int n = 0; n < p.N; n++)
        {
            double kl = 0;
            double[] z = new double[p.L];
            for (int j = 0; j < p.L; j++)
            {
                double m = p.Mu[n * p.L + j], lv = p.LogVar[n * p.L + j], e = p.Eps[n * p.L + j];
                z[j] = m + Math.Exp(0.5 * lv) * e;
                kl += 0.5 * (z[j] * z[j] - e * e - lv);
            }
            Assert.That(bound[n], Is.EqualTo(Reconstruction(p, z) + kl).Within(1e-4), $"image {n}: r + log q - log p");
        }
    }

    [Test]
    public void BadArgumentsAreRefusedWithTheirValues()
    {
        var bound = new ImportanceWeightedBound();
        var mu = new Tensor(2, 3);
        Assert.That(() => bound.Sample(mu, new Tensor(2, 3), new RandomSource(1), 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => bound.Sample(mu, new Tensor(2, 3), new RandomSource(1), ImportanceWeightedBound.MaxSamples + 1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => bound.Sample(mu, new Tensor(2, 3), new Tensor(5, 3), 2),
            Throws.ArgumentException.With.Message.Contains("(4, 3)"));
        Assert.That(() => bound.Compute(new LossValues(4)), Throws.InvalidOperationException);
        bound.Sample(mu, new Tensor(2, 3), new RandomSource(1), 2);
        Assert.That(() => bound.Compute(new LossValues(3)), Throws.ArgumentException.With.Message.Contains("3 reconstruction terms for 4 samples"));
    }
}
