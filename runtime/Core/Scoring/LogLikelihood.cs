// The log-densities behind every score, in nats, computed in double for one image or one latent vector at a time:
//   Bernoulli from logits  log p(x|z) = sum_d [ x_d l_d - softplus(l_d) ],  softplus(l) = max(l, 0) + log(1 + exp(-|l|))
//   Bernoulli from probabilities (models without a `logits` output): p clamped to [eps, 1 - eps] before the logarithms
//   Gaussian               log p(x|z) = sum_d [ -0.5 ((x_d - m_d) / sigma)^2 ] - D (log sigma + 0.5 log 2 pi)
//   standard normal prior  log p(z)   = -0.5 sum_l z_l^2 - (L / 2) log 2 pi
//   diagonal posterior     log q(z|x) = -0.5 sum_l [ eps_l^2 + logvar_l + log 2 pi ]  at z = mu + exp(logvar / 2) eps
//   analytic KL            KL(q || p) = 0.5 sum_l [ mu_l^2 + exp(logvar_l) - 1 - logvar_l ]
// Bernoulli targets may be grey levels in [0, 1]: the formula is then a cross-entropy, not a normalised density
// (say so when comparing with published binarized-MNIST numbers). None of these takes log(0) or overflows exp.
// It deliberately knows nothing about graphs, batches or sampling (see VaeScorer and ImportanceSampling).
using System.Numerics;

namespace VaeOnnx.Runtime.Core.Scoring;

internal static class LogLikelihood
{
    /// <summary>Probabilities are clamped to [ProbabilityFloor, 1 - ProbabilityFloor] when a model has no logits.</summary>
    public const double ProbabilityFloor = 1e-6;

    /// <summary>Bounds put on the encoder's log-variance before it is used (see README: the bound stays valid).</summary>
    public const double MinLogVar = -30, MaxLogVar = 20;

    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    /// <summary>log p(x|z) for Bernoulli pixels given the decoder's pre-sigmoid logits; x in [0, 1].</summary>
    public static double BernoulliFromLogits(ReadOnlySpan<float> x, ReadOnlySpan<float> logits)
    {
        CheckSameLength(x, logits, nameof(logits));
        // The vector path computes the scalar line below, 2 x Vector<double>.Count pixels at a time, in double. A block
        // holding a non-finite logit is left to the scalar line, which reads infinities as +-float.MaxValue and rejects NaN.
        double sum = 0;
        int d = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var accumulator = Vector<double>.Zero;
            for (; d <= x.Length - Vector<float>.Count; d += Vector<float>.Count)
            {
                var l = new Vector<float>(logits.Slice(d));
                if (!Vector.EqualsAll(l - l, Vector<float>.Zero))
                {
                    sum += BernoulliFromLogitsScalar(x.Slice(d, Vector<float>.Count), logits.Slice(d, Vector<float>.Count));
                    continue;
                }
                Vector.Widen(l, out var l0, out var l1);
                Vector.Widen(new Vector<float>(x.Slice(d)), out var x0, out var x1);
                accumulator += BernoulliTerm(x0, l0) + BernoulliTerm(x1, l1);
            }
            sum += Vector.Sum(accumulator);
        }
        return sum + BernoulliFromLogitsScalar(x[d..], logits[d..]);
    }

    private static double BernoulliFromLogitsScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> logits)
    {
        double sum = 0;
        for (int d = 0; d < x.Length; d++)
        {
            double l = Finite(logits[d]);
            sum += x[d] * l - (Math.Max(l, 0) + double.LogP1(Math.Exp(-Math.Abs(l))));
        }
        return sum;
    }

    // x l - softplus(l); log(1 + y) rather than log1p(y) costs at most 1e-16 nats per pixel for y = exp(-|l|) <= 1.
    private static Vector<double> BernoulliTerm(Vector<double> x, Vector<double> l) =>
        x * l - (Vector.Max(l, Vector<double>.Zero) + Vector.Log(Vector<double>.One + Vector.Exp(-Vector.Abs(l))));

    /// <summary>log p(x|z) for Bernoulli pixels given probabilities, each clamped to [ProbabilityFloor, 1 - ProbabilityFloor].</summary>
    public static double BernoulliFromProbabilities(ReadOnlySpan<float> x, ReadOnlySpan<float> probabilities)
    {
        CheckSameLength(x, probabilities, nameof(probabilities));
        double sum = 0;
        for (int d = 0; d < x.Length; d++)
        {
            double p = Math.Clamp(Finite(probabilities[d]), ProbabilityFloor, 1 - ProbabilityFloor);
            sum += x[d] * Math.Log(p) + (1.0 - x[d]) * Math.Log(1 - p);
        }
        return sum;
    }

    /// <summary>log p(x|z) for per-pixel Gaussians N(mean, sigma^2) with a fixed sigma, normaliser included.</summary>
    public static double Gaussian(ReadOnlySpan<float> x, ReadOnlySpan<float> means, double sigma)
    {
        CheckSameLength(x, means, nameof(means));
        CheckSigma(sigma);
        double squares = 0;
        for (int d = 0; d < x.Length; d++)
        {
            double r = x[d] - Finite(means[d]);
            squares += r * r;
        }
        return -0.5 * squares / (sigma * sigma) - x.Length * (Math.Log(sigma) + 0.5 * LogTwoPi);
    }

    /// <summary>log N(z; 0, I).</summary>
    public static double StandardNormal(ReadOnlySpan<float> z)
    {
        double squares = 0;
        for (int l = 0; l < z.Length; l++)
        {
            squares += (double)z[l] * z[l];
        }
        return -0.5 * squares - 0.5 * z.Length * LogTwoPi;
    }

    /// <summary>
    /// log q(z|x) of z = mu + exp(logvar / 2) eps under N(mu, diag exp(logvar)), written with eps so that no
    /// (z - mu) / sigma cancellation enters; logvar as used (already clamped).
    /// </summary>
    public static double DiagonalNormalAtNoise(ReadOnlySpan<float> eps, ReadOnlySpan<double> logVar)
    {
        if (eps.Length != logVar.Length)
        {
            throw new ArgumentException($"eps has {eps.Length} values and logVar {logVar.Length}; both must have the latent size.", nameof(logVar));
        }
        double sum = 0;
        for (int l = 0; l < eps.Length; l++)
        {
            sum += (double)eps[l] * eps[l] + logVar[l] + LogTwoPi;
        }
        return -0.5 * sum;
    }

    /// <summary>KL(N(mu, diag exp(logvar)) || N(0, I)) in closed form.</summary>
    public static double GaussianKl(ReadOnlySpan<float> mu, ReadOnlySpan<double> logVar)
    {
        if (mu.Length != logVar.Length)
        {
            throw new ArgumentException($"mu has {mu.Length} values and logVar {logVar.Length}; both must have the latent size.", nameof(logVar));
        }
        double sum = 0;
        for (int l = 0; l < mu.Length; l++)
        {
            sum += (double)mu[l] * mu[l] + Math.Exp(logVar[l]) - 1 - logVar[l];
        }
        return 0.5 * sum;
    }

    /// <summary>The encoder's log-variance as the scores use it: clamped to [MinLogVar, MaxLogVar].</summary>
    public static double ClampLogVar(float logVar) => Math.Clamp(logVar, MinLogVar, MaxLogVar);

    internal static void CheckSigma(double sigma)
    {
        if (!double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, $"The Gaussian likelihood's sigma is {sigma}; it must be a positive finite number.");
        }
    }

    // A float decoder output of +-infinity (overflow) is read as +-float.MaxValue: in double the terms stay finite,
    // so an overflowing decoder gives a huge score instead of an infinite or NaN one. NaN is a broken graph.
    private static double Finite(float value)
    {
        if (float.IsNaN(value))
        {
            throw new ArgumentException("The decoder output holds NaN; it cannot be scored (VaeScorer reports such a model as a ModelOutputException).");
        }
        return float.IsInfinity(value) ? Math.CopySign(float.MaxValue, value) : value;
    }

    private static void CheckSameLength(ReadOnlySpan<float> x, ReadOnlySpan<float> other, string name)
    {
        if (x.Length != other.Length)
        {
            throw new ArgumentException($"x has {x.Length} values and {name} {other.Length}; both must be one image (C x H x W).", name);
        }
    }
}
