// What scoring says about one image, in nats (natural-log units), and which of its numbers an anomaly threshold uses.
// Higher is more anomalous: every number is a negative log-probability (or a bound on one).
// It deliberately holds results only; VaeScorer computes them and README.md defines them precisely.
namespace VaeOnnx.Runtime.Core.Scoring;

/// <summary>Which number of an ImageScore is compared with a calibrated threshold.</summary>
public enum ScoreKind
{
    /// <summary>ImageScore.NegativeElbo: Monte Carlo reconstruction + analytic KL.</summary>
    NegativeElbo,

    /// <summary>ImageScore.NegativeLogLikelihood: the importance-weighted (IWAE) estimate of -log p(x).</summary>
    NegativeLogLikelihood,
}

/// <param name="Reconstruction">-(1/k) sum_i log p(x|z_i), z_i ~ q(z|x): the Monte Carlo reconstruction term.</param>
/// <param name="Kl">KL(q(z|x) || p(z)) in closed form.</param>
/// <param name="SampledKl">(1/k) sum_i [log q(z_i|x) - log p(z_i)] on the same z_i: the Monte Carlo form of the KL.</param>
/// <param name="NegativeLogLikelihood">-log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x): the IWAE estimate of -log p(x).</param>
/// <param name="Samples">k, the number of z_i drawn for this image.</param>
public sealed record ImageScore(double Reconstruction, double Kl, double SampledKl, double NegativeLogLikelihood, int Samples)
{
    /// <summary>-ELBO with the analytic KL: Reconstruction + Kl.</summary>
    public double NegativeElbo => Reconstruction + Kl;

    /// <summary>-ELBO with the sampled KL: Reconstruction + SampledKl. With k = 1 it equals NegativeLogLikelihood.</summary>
    public double SampledNegativeElbo => Reconstruction + SampledKl;

    /// <summary>The number <paramref name="kind"/> names: <see cref="NegativeElbo"/> or <see cref="NegativeLogLikelihood"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined ScoreKind.</exception>
    public double Value(ScoreKind kind) => kind switch
    {
        ScoreKind.NegativeElbo => NegativeElbo,
        ScoreKind.NegativeLogLikelihood => NegativeLogLikelihood,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use ScoreKind.NegativeElbo or ScoreKind.NegativeLogLikelihood."),
    };
}

/// <summary>The short names of ScoreKind used on the command line, in calibration.json and in the service.</summary>
public static class ScoreKindNames
{
    /// <summary>"elbo": <see cref="ScoreKind.NegativeElbo"/>.</summary>
    public const string NegativeElbo = "elbo";
    /// <summary>"nll": <see cref="ScoreKind.NegativeLogLikelihood"/>.</summary>
    public const string NegativeLogLikelihood = "nll";

    /// <summary>The short name of <paramref name="kind"/>: "elbo" or "nll".</summary>
    public static string ToName(this ScoreKind kind) => kind switch
    {
        ScoreKind.NegativeElbo => NegativeElbo,
        ScoreKind.NegativeLogLikelihood => NegativeLogLikelihood,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use ScoreKind.NegativeElbo or ScoreKind.NegativeLogLikelihood."),
    };

    /// <summary>The ScoreKind named "elbo" or "nll" (case and surrounding spaces ignored).</summary>
    /// <exception cref="FormatException"><paramref name="name"/> is neither.</exception>
    public static ScoreKind Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        NegativeElbo => ScoreKind.NegativeElbo,
        NegativeLogLikelihood => ScoreKind.NegativeLogLikelihood,
        _ => throw new FormatException($"Score kind '{name}' is unknown; use '{NegativeElbo}' (negative ELBO) or '{NegativeLogLikelihood}' (importance-weighted -log p(x))."),
    };
}
