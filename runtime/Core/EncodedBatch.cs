// The encoder's answer for a batch: posterior means and log-variances, each (Count, LatentSize) row-major.
namespace VaeOnnx.Runtime.Core;

/// <summary>What the encoder gives for a batch of images: the posterior q(z | x) = N(mu, exp(logvar)) of each, row-major.</summary>
/// <param name="Mu">Posterior means, (Count, LatentSize) row-major.</param>
/// <param name="LogVar">Posterior log-variances, (Count, LatentSize) row-major.</param>
/// <param name="Count">Images encoded (N).</param>
/// <param name="LatentSize">Latent dimensions (L).</param>
public sealed record EncodedBatch(float[] Mu, float[] LogVar, int Count, int LatentSize);
