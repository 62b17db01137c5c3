// How a model's decoder output is turned into log p(x|z), read from its metadata (vaeonnx.likelihood,
// vaeonnx.gaussian_sigma) and its outputs: Bernoulli from the `logits` output when the decoder has one, Bernoulli
// from the clamped `image` probabilities when it has not (Note says so), or Gaussian with the model's fixed sigma.
// It deliberately holds no graph and runs nothing; VaeScorer asks it which output to fetch and how to score it.
using System.Globalization;

using static VaeOnnx.Runtime.Core.VaeContract;

namespace VaeOnnx.Runtime.Core.Scoring;

/// <summary>How a model's decoder output becomes log p(x | z), read from its metadata and outputs: Bernoulli from `logits` when the decoder has them, Bernoulli from the clamped `image` probabilities otherwise, or Gaussian with the model's fixed sigma.</summary>
public sealed class PixelLikelihood
{

    private PixelLikelihood(Likelihood likelihood, bool fromLogits, double sigma, string outputName, string? note)
    {
        Likelihood = likelihood;
        FromLogits = fromLogits;
        Sigma = sigma;
        OutputName = outputName;
        Note = note;
    }

    /// <summary>The model's pixel likelihood.</summary>
    public Likelihood Likelihood { get; }

    /// <summary>Bernoulli scored from the decoder's pre-sigmoid logits (exact and stable).</summary>
    public bool FromLogits { get; }

    /// <summary>The Gaussian's fixed standard deviation; NaN for Bernoulli.</summary>
    public double Sigma { get; }

    /// <summary>The decoder output the scores read: `logits` or `image`.</summary>
    public string OutputName { get; }

    /// <summary>A caveat for users (probabilities clamped because the model has no logits), or null.</summary>
    public string? Note { get; }

    /// <summary>The likelihood <paramref name="model"/>'s metadata and decoder outputs call for.</summary>
    /// <exception cref="InvalidModelException">A Gaussian model without a usable vaeonnx.gaussian_sigma.</exception>
    public static PixelLikelihood For(VaeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var decoderPath = Path.Combine(model.Folder, DecoderFileName);
        if (model.Metadata.Likelihood == Likelihood.Gaussian)
        {
            if (!model.Metadata.Properties.TryGetValue(GaussianSigmaKey, out var text))
            {
                throw new InvalidModelException(decoderPath,
                    $"{decoderPath} is a Gaussian model without the metadata {GaussianSigmaKey}; scores need the likelihood's sigma. Export the model again with the VaeOnnx trainer (or add the key).");
            }
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var sigma) || !double.IsFinite(sigma) || sigma <= 0)
            {
                throw new InvalidModelException(decoderPath, $"{decoderPath}: metadata {GaussianSigmaKey} is '{text}'; expected a positive number such as 0.1.");
            }
            return new PixelLikelihood(Likelihood.Gaussian, false, sigma, ImageTensor, null);
        }
        return model.HasLogits
            ? new PixelLikelihood(Likelihood.Bernoulli, true, double.NaN, LogitsTensor, null)
            : new PixelLikelihood(Likelihood.Bernoulli, false, double.NaN, ImageTensor,
                $"the decoder has no '{LogitsTensor}' output: Bernoulli probabilities are clamped to [{LogLikelihood.ProbabilityFloor:G}, 1 - {LogLikelihood.ProbabilityFloor:G}], so a pixel costs at most {-Math.Log(LogLikelihood.ProbabilityFloor):F1} nats");
    }

    /// <summary>log p(x|z) of one image x given the decoder's output row for z.</summary>
    public double LogProbability(ReadOnlySpan<float> x, ReadOnlySpan<float> decoderOutput) =>
        Likelihood == Likelihood.Gaussian ? LogLikelihood.Gaussian(x, decoderOutput, Sigma)
        : FromLogits ? LogLikelihood.BernoulliFromLogits(x, decoderOutput)
        : LogLikelihood.BernoulliFromProbabilities(x, decoderOutput);

    /// <summary>"bernoulli (from logits)", "gaussian (sigma 0.1)" and the like, for reports.</summary>
    public override string ToString() => Likelihood == Likelihood.Gaussian
        ? string.Create(CultureInfo.InvariantCulture, $"gaussian (sigma {Sigma:G})")
        : FromLogits ? "bernoulli (from logits)" : "bernoulli (from clamped probabilities)";
}
