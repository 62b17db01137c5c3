// The loss-side ops on the CPU: Bernoulli NLL from logits, squared error, the closed-form Gaussian KL, the
// reparameterised sample, and the running loss sums, each forward beside its gradient. Per-image sums are float sums
// within an image (TensorPrimitives) and doubles across images, exactly as the engine has always computed them.
// LossesGpu.cs beside it is the GPU version; the classes in ../../Losses call both through ComputeBackend.
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Backends.Losses;

public static class LossesCpu
{
    // loss = max(l, 0) - l * x + log(1 + exp(-|l|)), summed per image.
    public static void BernoulliNll(Tensor logits, Tensor targets, LossValues perImage)
    {
        ReadOnlySpan<float> l = logits.Span;
        Span<float> loss = ThreadScratch.Get(0, l.Length);
        // log(1 + exp(-|l|)) = -log(sigmoid(|l|)): sigmoid(|l|) lies in [0.5, 1], so the log never sees 0 and exp never
        // overflows. (TensorPrimitives' Sigmoid and Log are vectorised; its Exp and LogP1 for float were ~10x slower.)
        Span<float> minusSoftplus = ThreadScratch.Get(1, l.Length);
        TensorPrimitives.Abs(l, minusSoftplus);
        TensorPrimitives.Sigmoid(minusSoftplus, minusSoftplus);
        TensorPrimitives.Log(minusSoftplus, minusSoftplus);
        // loss = max(l, 0) - (l * x - softplus)
        TensorPrimitives.Multiply(l, targets.Span, loss);
        TensorPrimitives.Add(loss, minusSoftplus, loss);
        Span<float> positivePart = minusSoftplus;
        TensorPrimitives.Max(l, 0f, positivePart);
        TensorPrimitives.Subtract(positivePart, loss, loss);
        SumPerImage(loss, perImage.Span, static part => TensorPrimitives.Sum(part));
    }

    // dLogits = scale * (sigmoid(l) - x)
    public static void BernoulliNllBackward(Tensor logits, Tensor targets, float scale, Tensor gradLogits)
    {
        Span<float> dL = gradLogits.Span;
        TensorPrimitives.Sigmoid(logits.Span, dL);
        TensorPrimitives.Subtract(dL, targets.Span, dL);
        if (scale != 1f)
        {
            TensorPrimitives.Multiply(dL, scale, dL);
        }
    }

    // loss = (m - x)^2, summed per image.
    public static void SquaredError(Tensor prediction, Tensor targets, LossValues perImage)
    {
        Span<float> d = ThreadScratch.Get(0, prediction.Length);
        TensorPrimitives.Subtract(prediction.Span, targets.Span, d);
        SumPerImage(d, perImage.Span, static part => TensorPrimitives.SumOfSquares(part));
    }

    // dPrediction = scale * 2 (m - x)
    public static void SquaredErrorBackward(Tensor prediction, Tensor targets, float scale, Tensor gradPrediction)
    {
        Span<float> d = gradPrediction.Span;
        TensorPrimitives.Subtract(prediction.Span, targets.Span, d);
        TensorPrimitives.Multiply(d, 2f * scale, d);
    }

    public static void ScaleShift(LossValues values, double scale, double shift)
    {
        Span<double> v = values.Span;
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = scale * v[i] + shift;
        }
    }

    // KL per image = -0.5 * sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j)), in double.
    public static void GaussianKl(Tensor mu, Tensor logVar, LossValues perImage)
    {
        ReadOnlySpan<float> m = mu.Span, lv = logVar.Span;
        Span<double> images = perImage.Span;
        int latent = images.Length == 0 ? 0 : m.Length / images.Length;
        for (int i = 0; i < images.Length; i++)
        {
            double sum = 0;
            for (int j = i * latent; j < (i + 1) * latent; j++)
            {
                double l = lv[j], u = m[j];
                sum += 1 + l - u * u - Math.Exp(l);
            }
            images[i] = -0.5 * sum;
        }
    }

    // dMu = scale * mu, dLogVar = 0.5 * scale * (exp(logvar) - 1)
    public static void GaussianKlBackward(Tensor mu, Tensor logVar, float scale, Tensor gradMu, Tensor gradLogVar)
    {
        ReadOnlySpan<float> m = mu.Span, lv = logVar.Span;
        Span<float> dMu = gradMu.Span, dLogVar = gradLogVar.Span;
        for (int j = 0; j < m.Length; j++)
        {
            dMu[j] = scale * m[j];
            dLogVar[j] = (float)(0.5 * scale * (Math.Exp(lv[j]) - 1));
        }
    }

    // std = exp(0.5 logvar), z = mu + std * eps
    public static void Reparameterize(Tensor mu, Tensor logVar, Tensor epsilon, Tensor std, Tensor z)
    {
        ReadOnlySpan<float> m = mu.Span, lv = logVar.Span, eps = epsilon.Span;
        Span<float> s = std.Span, sample = z.Span;
        for (int j = 0; j < sample.Length; j++)
        {
            s[j] = MathF.Exp(0.5f * lv[j]);
            sample[j] = m[j] + s[j] * eps[j];
        }
    }

    // dMu = dZ, dLogVar = dZ * eps * 0.5 * std
    public static void ReparameterizeBackward(Tensor gradZ, Tensor epsilon, Tensor std, Tensor gradMu, Tensor gradLogVar)
    {
        ReadOnlySpan<float> dZ = gradZ.Span, eps = epsilon.Span, s = std.Span;
        Span<float> dLogVar = gradLogVar.Span;
        dZ.CopyTo(gradMu.Span);
        for (int j = 0; j < dZ.Length; j++)
        {
            dLogVar[j] = dZ[j] * eps[j] * 0.5f * s[j];
        }
    }

    public static void AccumulateLoss(LossValues reconstruction, LossValues kl, LossValues sums)
    {
        double r = reconstruction.Total(), k = kl.Total();
        Span<double> s = sums.Span;
        s[0] += r;
        s[1] += k;
    }

    // float sums within an image (a few thousand terms), stored as doubles; images may be empty when N is 0.
    private static void SumPerImage(ReadOnlySpan<float> elements, Span<double> perImage, ImageSum sum)
    {
        if (perImage.Length == 0)
        {
            return;
        }
        int perImageLength = elements.Length / perImage.Length;
        for (int i = 0; i < perImage.Length; i++)
        {
            perImage[i] = sum(elements.Slice(i * perImageLength, perImageLength));
        }
    }

    private delegate float ImageSum(ReadOnlySpan<float> image);
}
