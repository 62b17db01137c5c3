// The encoder's answer for a batch: posterior means and log-variances, each (Count, LatentSize) row-major.
namespace VaeOnnx.Runtime.Core;

public sealed record EncodedBatch(float[] Mu, float[] LogVar, int Count, int LatentSize);
