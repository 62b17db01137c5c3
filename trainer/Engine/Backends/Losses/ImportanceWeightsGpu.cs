// The importance-weighted bound's ops on the GPU, the same formulas as ImportanceWeightsCpu.cs beside it (the reference
// the tests check this against, tests/Trainer/Engine/Backends/Losses): the K-sample reparameterised draw (one thread per
// value of z), the weights and per-image bound (one thread per image, looping over its K samples and the latent in
// index order, in double; exp and log in float, since PTX has no double exp without ILGPU.Algorithms: a - max <= 0 and
// the sum lies in [1, K], so float loses nothing that matters), the row scaling of the decoder's gradient (one thread
// per value) and the backward pass to mu and logvar (one thread per latent value of an image, summing its K samples
// in order). No atomics, so a run is bit-identical to itself.
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Backends.Launches;

namespace VaeOnnx.Trainer.Engine.Backends.Losses;

public sealed class ImportanceWeightsGpu(KernelLoader kernels)
{
    private Action<Index1D, ArrayView<float>, ArrayView<float>>? _std;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>? _sample;
    private Action<Index1D, ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>, WeightsShape, ArrayView<float>, ArrayView<double>, ArrayView<double>>? _weights;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, int, ArrayView<float>>? _scaleRows;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, WeightsShape, ArrayView<float>, ArrayView<float>>? _backward;

    /// <summary>The sizes and the KL weight the per-image kernels share (one struct keeps the kernels' argument lists short).</summary>
    public readonly record struct WeightsShape(int Samples, int Latent, float KlWeight);

    public void Sample(int images, int samples, int latent, ArrayView<float> mu, ArrayView<float> logVar, ArrayView<float> epsilon,
        ArrayView<float> std, ArrayView<float> z)
    {
        if (images == 0 || latent == 0)
        {
            return;
        }
        (_std ??= kernels.Load<ArrayView<float>, ArrayView<float>>(StdKernel))(images * latent, logVar, std);
        (_sample ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>(SampleKernel))(
            images * samples * latent, mu, std, epsilon, samples, latent, z);
    }

    public void Weights(int images, WeightsShape shape, ArrayView<double> reconstruction, ArrayView<float> z, ArrayView<float> epsilon,
        ArrayView<float> logVar, ArrayView<float> weights, ArrayView<double> meanReconstruction, ArrayView<double> remainder)
    {
        if (images > 0)
        {
            (_weights ??= kernels.Load<ArrayView<double>, ArrayView<float>, ArrayView<float>, ArrayView<float>, WeightsShape,
                ArrayView<float>, ArrayView<double>, ArrayView<double>>(WeightsKernel))(
                images, reconstruction, z, epsilon, logVar, shape, weights, meanReconstruction, remainder);
        }
    }

    public void ScaleRows(int length, int rowLength, ArrayView<float> gradient, ArrayView<float> weights, ArrayView<float> scaled)
    {
        if (length > 0)
        {
            (_scaleRows ??= kernels.Load<ArrayView<float>, ArrayView<float>, int, ArrayView<float>>(ScaleRowsKernel))(
                length, gradient, weights, rowLength, scaled);
        }
    }

    public void Backward(int images, WeightsShape shape, ArrayView<float> gradZ, ArrayView<float> z, ArrayView<float> epsilon, ArrayView<float> std,
        ArrayView<float> weights, ArrayView<float> gradMu, ArrayView<float> gradLogVar)
    {
        if (images > 0 && shape.Latent > 0)
        {
            (_backward ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>,
                WeightsShape, ArrayView<float>, ArrayView<float>>(BackwardKernel))(
                images * shape.Latent, gradZ, z, epsilon, std, weights, shape, gradMu, gradLogVar);
        }
    }

    private static void StdKernel(Index1D i, ArrayView<float> logVar, ArrayView<float> std) => std[i] = MathF.Exp(0.5f * logVar[i]);

    // z[row, j] = mu[row / K, j] + std[row / K, j] eps[row, j]
    private static void SampleKernel(Index1D i, ArrayView<float> mu, ArrayView<float> std, ArrayView<float> epsilon, int samples, int latent,
        ArrayView<float> z)
    {
        int row = i / latent, j = i - row * latent;
        int source = row / samples * latent + j;
        z[i] = mu[source] + std[source] * epsilon[i];
    }

    private static void WeightsKernel(Index1D n, ArrayView<double> reconstruction, ArrayView<float> z, ArrayView<float> epsilon, ArrayView<float> logVar,
        WeightsShape shape, ArrayView<float> weights, ArrayView<double> meanReconstruction, ArrayView<double> remainder)
    {
        int samples = shape.Samples;
        double max = double.NegativeInfinity, maxUnweighted = double.NegativeInfinity, rSum = 0;
        for (int k = 0; k < samples; k++)
        {
            int row = n * samples + k;
            double s = Prior(z, epsilon, logVar, n, row, shape.Latent);
            max = Math.Max(max, -(reconstruction[row] + shape.KlWeight * s));
            maxUnweighted = Math.Max(maxUnweighted, -(reconstruction[row] + s));
            rSum += reconstruction[row];
        }
        double total = 0, totalUnweighted = 0;
        for (int k = 0; k < samples; k++)
        {
            int row = n * samples + k;
            double s = Prior(z, epsilon, logVar, n, row, shape.Latent);
            float e = MathF.Exp((float)(-(reconstruction[row] + shape.KlWeight * s) - max));
            weights[row] = e;
            total += e;
            totalUnweighted += MathF.Exp((float)(-(reconstruction[row] + s) - maxUnweighted));
        }
        for (int k = 0; k < samples; k++)
        {
            weights[n * samples + k] = (float)(weights[n * samples + k] / total);
        }
        double mean = rSum / samples;
        meanReconstruction[n] = mean;
        remainder[n] = -(maxUnweighted + MathF.Log((float)totalUnweighted) - MathF.Log(samples)) - mean;
    }

    // s = sum_j 0.5 (z^2 - eps^2 - logvar), in double, in index order.
    private static double Prior(ArrayView<float> z, ArrayView<float> epsilon, ArrayView<float> logVar, int n, int row, int latent)
    {
        double s = 0;
        for (int j = 0; j < latent; j++)
        {
            double zj = z[row * latent + j], ej = epsilon[row * latent + j];
            s += 0.5 * (zj * zj - ej * ej - logVar[n * latent + j]);
        }
        return s;
    }

    private static void ScaleRowsKernel(Index1D i, ArrayView<float> gradient, ArrayView<float> weights, int rowLength, ArrayView<float> scaled) =>
        scaled[i] = gradient[i] * weights[i / rowLength];

    private static void BackwardKernel(Index1D i, ArrayView<float> gradZ, ArrayView<float> z, ArrayView<float> epsilon, ArrayView<float> std,
        ArrayView<float> weights, WeightsShape shape, ArrayView<float> gradMu, ArrayView<float> gradLogVar)
    {
        int latent = shape.Latent, samples = shape.Samples;
        int n = i / latent, j = i - n * latent;
        double mu = 0, logVar = 0;
        for (int k = 0; k < samples; k++)
        {
            int row = n * samples + k, at = row * latent + j;
            double total = gradZ[at] + (double)shape.KlWeight * weights[row] * z[at];
            mu += total;
            logVar += total * epsilon[at];
        }
        gradMu[i] = (float)mu;
        gradLogVar[i] = (float)(logVar * 0.5 * std[i] - 0.5 * shape.KlWeight);
    }
}
