// The small choices of the VAE API: how pixels are modelled, how latent paths bend, how reconstructions pick z.
// Kept together because each is a handful of names with no behaviour of its own.
using System.Text.Json.Serialization;

namespace VaeOnnx.Runtime.Core;

/// <summary>
/// The decoder's likelihood p(x | z), the one representation for trainer and runtime: in a model's metadata it is
/// VaeContract.LikelihoodText ("bernoulli", key vaeonnx.likelihood); in the trainer's JSON (config.json,
/// checkpoints) it is written by name ("Bernoulli").
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Likelihood>))]
public enum Likelihood
{
    /// <summary>
    /// Each pixel ~ Bernoulli(p): `image` holds sigmoid probabilities in [0, 1], an optional `logits` output their
    /// pre-sigmoid values; the trainer's network outputs the logits and trains them with BCE-with-logits.
    /// </summary>
    Bernoulli,

    /// <summary>Each pixel ~ N(mean, sigma^2) with a fixed sigma (metadata vaeonnx.gaussian_sigma): `image` holds the means.</summary>
    Gaussian,
}

/// <summary>How a path between two latent vectors bends (VaeModel.Interpolate).</summary>
public enum InterpolationKind
{
    /// <summary>Straight line: z(t) = (1 - t) zFrom + t zTo.</summary>
    Linear,

    /// <summary>Great-circle path (slerp), which keeps intermediate points at a typical distance from the origin.</summary>
    Spherical,
}

/// <summary>Which z a reconstruction decodes (VaeModel.Reconstruct).</summary>
public enum ReconstructionMode
{
    /// <summary>Decode the posterior mean mu.</summary>
    Mean,

    /// <summary>Decode one draw z = mu + exp(logvar / 2) * eps, eps ~ N(0, I) from the seed.</summary>
    Sampled,
}
