// The loss-side ops on the GPU: per-image Bernoulli NLL and squared error (one group of threads per image, strided
// per-thread sums reduced by GroupReduction's fixed tree: no atomics), their gradients, the Gaussian KL per image (one
// thread per image, summing its latent in double in index order; exp is taken in float, since PTX has no double exp
// without ILGPU.Algorithms), the reparameterised sample, and the running loss
// sums (one thread, images in order). LossesCpu.cs beside it is the CPU version and the reference the tests check this
// against (tests/Trainer/Engine/Backends/Losses). The noise eps is drawn on the host and uploaded, never drawn here.
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Engine.Backends.Reductions;

namespace VaeOnnx.Trainer.Engine.Backends.Losses;

public sealed class LossesGpu(KernelLoader kernels)
{
    private const int GroupSize = GroupReduction.GroupSize;

    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<float>, int>? _bernoulli;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, float, ArrayView<float>>? _bernoulliBackward;
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<double>, int>? _squared;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, float, ArrayView<float>>? _squaredBackward;
    private Action<Index1D, ArrayView<double>, double, double>? _scaleShift;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<double>, int>? _kl;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, float, ArrayView<float>, ArrayView<float>>? _klBackward;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _sample;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _sampleBackward;
    private Action<Index1D, ArrayView<double>, ArrayView<double>, ArrayView<double>, int>? _accumulate;

    /// <summary>perImage[n] = image n's loss; with <paramref name="gradLogits"/>, also dLogits = sigmoid(l) - x in the same pass.</summary>
    public void BernoulliNll(int images, int imageSize, ArrayView<float> logits, ArrayView<float> targets, ArrayView<double> perImage,
        ArrayView<float>? gradLogits = null)
    {
        if (images > 0)
        {
            (_bernoulli ??= kernels.LoadGrouped<ArrayView<float>, ArrayView<float>, ArrayView<double>, ArrayView<float>, int>(BernoulliKernel))(
                new KernelConfig(images, GroupSize), logits, targets, perImage, gradLogits ?? logits, gradLogits is null ? -imageSize : imageSize);
        }
    }

    public void BernoulliNllBackward(int length, ArrayView<float> logits, ArrayView<float> targets, float scale, ArrayView<float> gradLogits)
    {
        if (length > 0)
        {
            (_bernoulliBackward ??= kernels.Load<ArrayView<float>, ArrayView<float>, float, ArrayView<float>>(
                BernoulliBackwardKernel))(length, logits, targets, scale, gradLogits);
        }
    }

    public void SquaredError(int images, int imageSize, ArrayView<float> prediction, ArrayView<float> targets, ArrayView<double> perImage)
    {
        if (images > 0)
        {
            (_squared ??= kernels.LoadGrouped<ArrayView<float>, ArrayView<float>, ArrayView<double>, int>(SquaredKernel))(
                new KernelConfig(images, GroupSize), prediction, targets, perImage, imageSize);
        }
    }

    public void SquaredErrorBackward(int length, ArrayView<float> prediction, ArrayView<float> targets, float scale, ArrayView<float> gradPrediction)
    {
        if (length > 0)
        {
            (_squaredBackward ??= kernels.Load<ArrayView<float>, ArrayView<float>, float, ArrayView<float>>(
                SquaredBackwardKernel))(length, prediction, targets, scale, gradPrediction);
        }
    }

    public void ScaleShift(int length, ArrayView<double> values, double scale, double shift)
    {
        if (length > 0)
        {
            (_scaleShift ??= kernels.Load<ArrayView<double>, double, double>(ScaleShiftKernel))(
                length, values, scale, shift);
        }
    }

    public void GaussianKl(int images, int latent, ArrayView<float> mu, ArrayView<float> logVar, ArrayView<double> perImage)
    {
        if (images > 0)
        {
            (_kl ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<double>, int>(KlKernel))(
                images, mu, logVar, perImage, latent);
        }
    }

    public void GaussianKlBackward(int length, ArrayView<float> mu, ArrayView<float> logVar, float scale, ArrayView<float> gradMu, ArrayView<float> gradLogVar)
    {
        if (length > 0)
        {
            (_klBackward ??= kernels.Load<ArrayView<float>, ArrayView<float>, float, ArrayView<float>, ArrayView<float>>(
                KlBackwardKernel))(length, mu, logVar, scale, gradMu, gradLogVar);
        }
    }

    public void Reparameterize(int length, ArrayView<float> mu, ArrayView<float> logVar, ArrayView<float> epsilon, ArrayView<float> std, ArrayView<float> z)
    {
        if (length > 0)
        {
            (_sample ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(
                SampleKernel))(length, mu, logVar, epsilon, std, z);
        }
    }

    public void ReparameterizeBackward(int length, ArrayView<float> gradZ, ArrayView<float> epsilon, ArrayView<float> std, ArrayView<float> gradMu,
        ArrayView<float> gradLogVar)
    {
        if (length > 0)
        {
            (_sampleBackward ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(
                SampleBackwardKernel))(length, gradZ, epsilon, std, gradMu, gradLogVar);
        }
    }

    public void AccumulateLoss(int images, ArrayView<double> reconstruction, ArrayView<double> kl, ArrayView<double> sums) =>
        (_accumulate ??= kernels.Load<ArrayView<double>, ArrayView<double>, ArrayView<double>, int>(AccumulateKernel))(
            1, reconstruction, kl, sums, images);

    // One group per image: loss = max(l, 0) - l x + log(1 + exp(-|l|)); with a gradient (signedSize > 0) also
    // dLogits = sigmoid(l) - x, the same float expression as BernoulliBackwardKernel at scale 1.
    private static void BernoulliKernel(ArrayView<float> logits, ArrayView<float> targets, ArrayView<double> perImage, ArrayView<float> gradLogits,
        int signedSize)
    {
        ArrayView<float> shared = SharedMemory.Allocate<float>(GroupSize);
        int imageSize = Math.Abs(signedSize);
        long start = (long)Grid.IdxX * imageSize;
        float sum = 0f;
        for (int j = Group.IdxX; j < imageSize; j += GroupSize)
        {
            float l = logits[start + j], x = targets[start + j];
            sum += MathF.Max(l, 0f) - l * x + MathF.Log(1f + MathF.Exp(-MathF.Abs(l)));
            if (signedSize > 0)
            {
                gradLogits[start + j] = 1f / (1f + MathF.Exp(-l)) - x;
            }
        }
        float total = GroupReduction.Sum(shared, sum);
        if (Group.IdxX == 0)
        {
            perImage[Grid.IdxX] = total;
        }
    }

    private static void BernoulliBackwardKernel(Index1D i, ArrayView<float> logits, ArrayView<float> targets, float scale, ArrayView<float> gradLogits) =>
        gradLogits[i] = scale * (1f / (1f + MathF.Exp(-logits[i])) - targets[i]);

    private static void SquaredKernel(ArrayView<float> prediction, ArrayView<float> targets, ArrayView<double> perImage, int imageSize)
    {
        ArrayView<float> shared = SharedMemory.Allocate<float>(GroupSize);
        long start = (long)Grid.IdxX * imageSize;
        float sum = 0f;
        for (int j = Group.IdxX; j < imageSize; j += GroupSize)
        {
            float d = prediction[start + j] - targets[start + j];
            sum += d * d;
        }
        float total = GroupReduction.Sum(shared, sum);
        if (Group.IdxX == 0)
        {
            perImage[Grid.IdxX] = total;
        }
    }

    private static void SquaredBackwardKernel(Index1D i, ArrayView<float> prediction, ArrayView<float> targets, float scale, ArrayView<float> gradPrediction) =>
        gradPrediction[i] = (prediction[i] - targets[i]) * (2f * scale);

    private static void ScaleShiftKernel(Index1D i, ArrayView<double> values, double scale, double shift) => values[i] = scale * values[i] + shift;

    private static void KlKernel(Index1D image, ArrayView<float> mu, ArrayView<float> logVar, ArrayView<double> perImage, int latent)
    {
        double sum = 0;
        for (int j = image * latent; j < (image + 1) * latent; j++)
        {
            double l = logVar[j], u = mu[j];
            sum += 1 + l - u * u - MathF.Exp(logVar[j]);
        }
        perImage[image] = -0.5 * sum;
    }

    private static void KlBackwardKernel(Index1D i, ArrayView<float> mu, ArrayView<float> logVar, float scale, ArrayView<float> gradMu, ArrayView<float> gradLogVar)
    {
        gradMu[i] = scale * mu[i];
        gradLogVar[i] = (float)(0.5 * scale * ((double)MathF.Exp(logVar[i]) - 1));
    }

    private static void SampleKernel(Index1D i, ArrayView<float> mu, ArrayView<float> logVar, ArrayView<float> epsilon, ArrayView<float> std, ArrayView<float> z)
    {
        float s = MathF.Exp(0.5f * logVar[i]);
        std[i] = s;
        z[i] = mu[i] + s * epsilon[i];
    }

    private static void SampleBackwardKernel(Index1D i, ArrayView<float> gradZ, ArrayView<float> epsilon, ArrayView<float> std, ArrayView<float> gradMu,
        ArrayView<float> gradLogVar)
    {
        gradMu[i] = gradZ[i];
        gradLogVar[i] = gradZ[i] * epsilon[i] * 0.5f * std[i];
    }

    // One thread: each batch total summed over images in order, then added to the running sums.
    private static void AccumulateKernel(Index1D i, ArrayView<double> reconstruction, ArrayView<double> kl, ArrayView<double> sums, int images)
    {
        double r = 0, k = 0;
        for (int n = 0; n < images; n++)
        {
            r += reconstruction[n];
            k += kl[n];
        }
        sums[0] += r;
        sums[1] += k;
    }
}
