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

    public GaussianNll(double sigma)
    {
        if (!double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The Gaussian likelihood's sigma must be a positive finite number, e.g. 0.1 for pixels in [0, 1].");
        }
        Sigma = sigma;
    }

    public double Sigma { get; }

    public override LossValues PerImage => _squaredError.PerImage;

    // means (N, ...), targets (N, ...) -> per-image NLL (N): the squared errors scaled and shifted in place.
    public override void Compute(Tensor prediction, Tensor targets)
    {
        CheckShapes(nameof(GaussianNll), prediction, targets);
        _squaredError.Backend = Backend;
        _squaredError.Compute(prediction, targets);
        int perImageLength = prediction.Dim(0) == 0 ? 0 : prediction.Length / prediction.Dim(0);
        double normaliser = perImageLength * (Math.Log(Sigma) + HalfLogTwoPi);
        double halfPrecision = 0.5 / (Sigma * Sigma);
        Backend.ScaleShift(_squaredError.PerImage, halfPrecision, normaliser);
    }

    // dMeans = scale * (m - x) / sigma^2 = (scale / (2 sigma^2)) * d(squared error)/dm
    public override Tensor Backward(float scale = 1f) => _squaredError.Backward((float)(scale * 0.5 / (Sigma * Sigma)));
}
