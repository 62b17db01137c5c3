// Gaussian negative log-likelihood with a fixed, configurable standard deviation sigma, in nats (the log-normaliser
// included, like PyTorch's GaussianNLLLoss(full=True, reduction='sum') with var = sigma^2):
//   loss = 0.5 * ((x - m) / sigma)^2 + log(sigma) + 0.5 * log(2 pi)     gradient: (m - x) / sigma^2
// It does not learn sigma (no per-pixel variance head).
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class GaussianNll : ReconstructionLoss
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    private readonly Tensor _difference = new(0);
    private readonly Tensor _gradMeans = new(0);
    private Tensor? _means;

    public GaussianNll(double sigma)
    {
        if (!double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The Gaussian likelihood's sigma must be a positive finite number, e.g. 0.1 for pixels in [0, 1].");
        }
        Sigma = sigma;
    }

    public double Sigma { get; }

    // means (N, ...), targets (N, ...) -> sum over all elements; perImage (N)
    public override double Forward(Tensor prediction, Tensor targets, Span<double> perImage = default)
    {
        int n = CheckShapes(nameof(GaussianNll), prediction, targets, perImage);
        _means = prediction;
        Span<float> d = _difference.Resize(prediction.Length).Span;
        TensorPrimitives.Subtract(prediction.Span, targets.Span, d);
        if (n == 0)
        {
            return 0;
        }
        int perImageLength = d.Length / n;
        double normaliser = perImageLength * (Math.Log(Sigma) + HalfLogTwoPi);
        double halfPrecision = 0.5 / (Sigma * Sigma);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double image = halfPrecision * TensorPrimitives.SumOfSquares((ReadOnlySpan<float>)d.Slice(i * perImageLength, perImageLength)) + normaliser;
            if (!perImage.IsEmpty)
            {
                perImage[i] = image;
            }
            total += image;
        }
        return total;
    }

    // dMeans = scale * (m - x) / sigma^2
    public override Tensor Backward(float scale = 1f)
    {
        Tensor means = _means ?? throw new InvalidOperationException("GaussianNll: Backward called before Forward.");
        _gradMeans.Resize(means.Shape);
        TensorPrimitives.Multiply(_difference.Span, (float)(scale / (Sigma * Sigma)), _gradMeans.Span);
        return _gradMeans;
    }
}
