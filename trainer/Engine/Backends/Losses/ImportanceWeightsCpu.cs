// The importance-weighted bound's ops on the CPU (Burda et al. 2015), each forward beside its gradient. Rows of the
// K-sample tensors are ordered image-major: row n*K + k is sample k of image n. Per sample (all sums over the latent j):
//   z_nk      = mu_n + std_n eps_nk,   std_n = exp(0.5 logvar_n)
//   s_nk      = sum_j 0.5 z_nkj^2 - 0.5 eps_nkj^2 - 0.5 logvar_nj        (log q(z|x) - log p(z); the 2 pi terms cancel)
//   a_nk      = -(r_nk + beta s_nk)                                      (r: the reconstruction term -log p(x|z))
//   bound_n   = -(logsumexp_k a_nk - log K)  at beta = 1                 (the reported bound, nats)
//   w_nk      = softmax_k a_nk                                           (the normalised importance weights)
// and the gradient of sum_n -(logsumexp_k a_nk - log K):
//   d/dr_nk   = w_nk  (the decoder's output gradient of row nk is scaled by w_nk: ScaleRows)
//   dZ_nk    += beta w_nk z_nk                          (the prior's path; dZ_nk arrives from the decoder)
//   dMu_n     = sum_k dZ_nk
//   dLogVar_n = sum_k dZ_nk eps_nk 0.5 std_n - 0.5 beta  (the sample's path, plus log q's own logvar term: sum_k w = 1)
// Sums over the latent and over the K samples are in double, in index order. ImportanceWeightsGpu.cs beside it is the
// GPU version; Engine/Losses/ImportanceWeightedBound.cs calls both through ComputeBackend.
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Backends.Losses;

public static class ImportanceWeightsCpu
{
    // mu (N, L), logvar (N, L), eps (N*K, L) -> std (N, L), z (N*K, L)
    public static void Sample(Tensor mu, Tensor logVar, Tensor epsilon, int samples, Tensor std, Tensor z)
    {
        ReadOnlySpan<float> m = mu.Span, lv = logVar.Span, eps = epsilon.Span;
        Span<float> s = std.Span, sample = z.Span;
        int latent = mu.Dim(1);
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = MathF.Exp(0.5f * lv[i]);
        }
        for (int row = 0; row < sample.Length / Math.Max(latent, 1); row++)
        {
            int image = row / samples;
            for (int j = 0; j < latent; j++)
            {
                int at = row * latent + j, source = image * latent + j;
                sample[at] = m[source] + s[source] * eps[at];
            }
        }
    }

    // reconstruction (N*K), z (N*K, L), eps (N*K, L), logvar (N, L) -> weights (N*K), meanReconstruction (N), remainder (N) = bound - meanReconstruction
    public static void Weights(LossValues reconstruction, Tensor z, Tensor epsilon, Tensor logVar, int samples, float klWeight,
        Tensor weights, LossValues meanReconstruction, LossValues remainder)
    {
        ReadOnlySpan<double> r = reconstruction.Span;
        ReadOnlySpan<float> zs = z.Span, eps = epsilon.Span, lv = logVar.Span;
        Span<float> w = weights.Span;
        Span<double> mean = meanReconstruction.Span, rest = remainder.Span;
        int latent = logVar.Dim(1);
        double logK = Math.Log(samples);
        // K is at most ImportanceWeightedBound.MaxSamples, so the two per-image lists fit on the stack.
        Span<double> a = stackalloc double[samples], unweighted = stackalloc double[samples];
        for (int n = 0; n < rest.Length; n++)
        {
            double rSum = 0;
            for (int k = 0; k < samples; k++)
            {
                int row = n * samples + k;
                double s = 0;
                for (int j = 0; j < latent; j++)
                {
                    double zj = zs[row * latent + j], ej = eps[row * latent + j];
                    s += 0.5 * (zj * zj - ej * ej - lv[n * latent + j]);
                }
                a[k] = -(r[row] + klWeight * s);
                unweighted[k] = -(r[row] + s);
                rSum += r[row];
            }
            double max = Max(a), total = 0;
            for (int k = 0; k < samples; k++)
            {
                total += Math.Exp(a[k] - max);
            }
            for (int k = 0; k < samples; k++)
            {
                w[n * samples + k] = (float)(Math.Exp(a[k] - max) / total);
            }
            mean[n] = rSum / samples;
            rest[n] = -(LogSumExp(unweighted) - logK) - mean[n];
        }
    }

    // gradient (R, D), weights (R) -> scaled (R, D): row r times weights[r]; may run in place.
    public static void ScaleRows(Tensor gradient, Tensor weights, Tensor scaled)
    {
        ReadOnlySpan<float> w = weights.Span;
        int width = w.Length == 0 ? 0 : gradient.Length / w.Length;
        for (int row = 0; row < w.Length; row++)
        {
            TensorPrimitives.Multiply(gradient.Span.Slice(row * width, width), w[row], scaled.Span.Slice(row * width, width));
        }
    }

    // dZ (N*K, L) -> dMu (N, L), dLogVar (N, L), with the prior's and log q's direct terms.
    public static void Backward(Tensor gradZ, Tensor z, Tensor epsilon, Tensor std, Tensor weights, int samples, float klWeight,
        Tensor gradMu, Tensor gradLogVar)
    {
        ReadOnlySpan<float> dZ = gradZ.Span, zs = z.Span, eps = epsilon.Span, s = std.Span, w = weights.Span;
        Span<float> dMu = gradMu.Span, dLogVar = gradLogVar.Span;
        int latent = std.Dim(1);
        for (int i = 0; i < dMu.Length; i++)
        {
            int n = i / latent, j = i % latent;
            double mu = 0, logVar = 0;
            for (int k = 0; k < samples; k++)
            {
                int row = n * samples + k, at = row * latent + j;
                double total = dZ[at] + (double)klWeight * w[row] * zs[at];
                mu += total;
                logVar += total * eps[at];
            }
            dMu[i] = (float)mu;
            dLogVar[i] = (float)(logVar * 0.5 * s[i] - 0.5 * klWeight);
        }
    }

    private static double Max(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }
        return max;
    }

    private static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = Max(values), total = 0;
        foreach (double v in values)
        {
            total += Math.Exp(v - max);
        }
        return max + Math.Log(total);
    }
}
