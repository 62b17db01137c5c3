// Test reference: log p(x) = log ∫ p(x|z) N(z; 0, I) dz of a LinearVae with one or two latent dimensions, by the
// midpoint rule on a square grid over [-Radius, Radius]^L, summed with log-sum-exp in double. The integrand is smooth
// and its Gaussian tail beyond 8 standard deviations is below 1e-14 of the mass, so the result is exact to far better
// than the tolerances the tests use. The pixel densities are written out naively here, apart from the runtime's code.
namespace VaeOnnx.Tests.Runtime.Core.Scoring;

public static class BruteForceLikelihood
{
    public const double Radius = 8;

    public static double LogMarginal(LinearVae vae, ReadOnlySpan<float> x, double step = 0.02) => Integrate(vae, x, step).LogMarginal;

    /// <summary>Mean and variance of each latent dimension under the exact posterior p(z|x), on the same grid.</summary>
    public static (double[] Mean, double[] Variance) PosteriorMoments(LinearVae vae, ReadOnlySpan<float> x, double step = 0.02)
    {
        var (_, mean, variance) = Integrate(vae, x, step);
        return (mean, variance);
    }

    private static (double LogMarginal, double[] Mean, double[] Variance) Integrate(LinearVae vae, ReadOnlySpan<float> x, double step)
    {
        if (vae.LatentSize is < 1 or > 2)
        {
            throw new ArgumentException($"Brute force integrates over 1 or 2 latent dimensions; the model has {vae.LatentSize}.");
        }
        int points = (int)Math.Round(2 * Radius / step);
        var xs = x.ToArray();
        var terms = new List<double>(vae.LatentSize == 1 ? points : points * points);
        var grid = new List<double[]>(terms.Capacity);
        var z = new double[vae.LatentSize];
        for (int i = 0; i < points; i++)
        {
            z[0] = -Radius + (i + 0.5) * step;
            if (vae.LatentSize == 1)
            {
                terms.Add(LogJoint(vae, xs, z) + Math.Log(step));
                grid.Add((double[])z.Clone());
                continue;
            }
            for (int j = 0; j < points; j++)
            {
                z[1] = -Radius + (j + 0.5) * step;
                terms.Add(LogJoint(vae, xs, z) + 2 * Math.Log(step));
                grid.Add((double[])z.Clone());
            }
        }
        double max = terms.Max();
        double total = terms.Sum(t => Math.Exp(t - max));
        var mean = new double[vae.LatentSize];
        var second = new double[vae.LatentSize];
        for (int g = 0; g < terms.Count; g++)
        {
            double weight = Math.Exp(terms[g] - max) / total;
            for (int l = 0; l < vae.LatentSize; l++)
            {
                mean[l] += weight * grid[g][l];
                second[l] += weight * grid[g][l] * grid[g][l];
            }
        }
        var variance = mean.Select((m, l) => second[l] - m * m).ToArray();
        return (max + Math.Log(total), mean, variance);
    }

    /// <summary>log p(x|z) + log p(z), naively.</summary>
    public static double LogJoint(LinearVae vae, float[] x, double[] z)
    {
        double[] output = vae.DecoderLinear(z);
        double logPx = 0;
        for (int d = 0; d < x.Length; d++)
        {
            if (vae.Gaussian)
            {
                double sigma = vae.Sigma!.Value;
                logPx += Math.Log(Math.Exp(-0.5 * Math.Pow((x[d] - output[d]) / sigma, 2)) / (sigma * Math.Sqrt(2 * Math.PI)));
            }
            else
            {
                double p = 1 / (1 + Math.Exp(-output[d]));
                logPx += x[d] * Math.Log(p) + (1.0 - x[d]) * Math.Log(1 - p);
            }
        }
        double logPz = 0;
        foreach (double v in z)
        {
            logPz += Math.Log(Math.Exp(-0.5 * v * v) / Math.Sqrt(2 * Math.PI));
        }
        return logPx + logPz;
    }
}
