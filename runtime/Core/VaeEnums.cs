// The small choices of the VAE API: how pixels are modelled, how latent paths bend, how reconstructions pick z.
// Kept together because each is a handful of names with no behaviour of its own.
namespace VaeOnnx.Runtime.Core;

/// <summary>How the decoder's `image` output models pixels (metadata key vaeonnx.likelihood).</summary>
public enum Likelihood
{
    /// <summary>`image` holds sigmoid probabilities in [0, 1]; an optional `logits` output holds their pre-sigmoid values.</summary>
    Bernoulli,

    /// <summary>`image` holds the means of per-pixel Gaussians.</summary>
    Gaussian,
}

public enum InterpolationKind
{
    /// <summary>Straight line: z(t) = (1 - t) zFrom + t zTo.</summary>
    Linear,

    /// <summary>Great-circle path (slerp), which keeps intermediate points at a typical distance from the origin.</summary>
    Spherical,
}

public enum ReconstructionMode
{
    /// <summary>Decode the posterior mean mu.</summary>
    Mean,

    /// <summary>Decode one draw z = mu + exp(logvar / 2) * eps, eps ~ N(0, I) from the seed.</summary>
    Sampled,
}
