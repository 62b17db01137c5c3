// Gaussian negative log-likelihood with a fixed, configurable standard deviation sigma, in nats (the log-normaliser
// included, like PyTorch's GaussianNLLLoss(full=True, reduction='sum') with var = sigma^2):
//   loss = 0.5 * ((x - m) / sigma)^2 + log(sigma) + 0.5 * log(2 pi)     gradient: (m - x) / sigma^2
// It does not learn sigma (no per-pixel variance head).
namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class GaussianNll : ReconstructionLoss
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    // The Gaussian NLL is the sum of squared errors, scaled by 1 / (2 sigma^2), plus a constant per element.
    private readonly SquaredError _squaredError = new();
    private double[] _squaredPerImage = [];

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
        if (_squaredPerImage.Length != n)
        {
            _squaredPerImage = new double[n];
        }
        _squaredError.Forward(prediction, targets, _squaredPerImage);
        if (n == 0)
        {
            return 0;
        }
        int perImageLength = prediction.Length / n;
        double normaliser = perImageLength * (Math.Log(Sigma) + HalfLogTwoPi);
        double halfPrecision = 0.5 / (Sigma * Sigma);
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double image = halfPrecision * _squaredPerImage[i] + normaliser;
            if (!perImage.IsEmpty)
            {
                perImage[i] = image;
            }
            total += image;
        }
        return total;
    }

    // dMeans = scale * (m - x) / sigma^2 = (scale / (2 sigma^2)) * d(squared error)/dm
    public override Tensor Backward(float scale = 1f) => _squaredError.Backward((float)(scale * 0.5 / (Sigma * Sigma)));
}
