// The closed-form KL divergence of the encoder's diagonal Gaussian from the standard normal prior, per image:
//   KL(N(mu, exp(logvar)) || N(0, I)) = -0.5 * sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j))
//   gradients: dMu = mu, dLogVar = 0.5 * (exp(logvar) - 1)
// It does not handle other priors or full covariances. Sums are in double: the latent is small (N x L values).
// The arithmetic is a backend op (Backends/Losses: LossesCpu, LossesGpu).
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class GaussianKl
{
    private readonly Tensor _gradMu = new(0, 0);
    private readonly Tensor _gradLogVar = new(0, 0);
    private readonly LossValues _perImage = new();
    private Tensor? _mu;
    private Tensor? _logVar;

    /// <summary>Where the KL runs; set by the network to its own backend.</summary>
    public ComputeBackend Backend { get; set; } = CpuBackend.Instance;

    public Tensor GradMu => _gradMu;

    public Tensor GradLogVar => _gradLogVar;

    /// <summary>Each image's KL from the last <see cref="Compute"/> (length N), on the backend's device until read.</summary>
    public LossValues PerImage => _perImage;

    // mu (N, L), logvar (N, L) -> per-image KL (N), left on the device
    public void Compute(Tensor mu, Tensor logVar)
    {
        if (mu.Rank != 2 || !mu.Shape.SequenceEqual(logVar.Shape))
        {
            throw new ArgumentException($"GaussianKl expects mu and logvar both (N, L); got {mu} and {logVar}.", nameof(logVar));
        }
        _mu = mu;
        _logVar = logVar;
        Backend.GaussianKl(mu, logVar, _perImage.Resize(mu.Dim(0)));
    }

    // mu (N, L), logvar (N, L) -> sum over the batch; perImage (N)
    public double Forward(Tensor mu, Tensor logVar, Span<double> perImage = default)
    {
        if (!perImage.IsEmpty && mu.Rank == 2 && perImage.Length != mu.Dim(0))
        {
            throw new ArgumentException($"GaussianKl: perImage has length {perImage.Length}; it must be empty or the batch size {mu.Dim(0)}.", nameof(perImage));
        }
        Compute(mu, logVar);
        if (!perImage.IsEmpty)
        {
            _perImage.Span.CopyTo(perImage);
        }
        return _perImage.Total();
    }

    /// <summary>Writes d(scale * KL)/d(mu) and d(scale * KL)/d(logvar) into <see cref="GradMu"/> and <see cref="GradLogVar"/>.</summary>
    public void Backward(float scale = 1f)
    {
        Tensor mu = _mu ?? throw new InvalidOperationException("GaussianKl: Backward called before Forward.");
        Backend.GaussianKlBackward(mu, _logVar!, scale, _gradMu.Resize(mu.Shape), _gradLogVar.Resize(mu.Shape));
    }
}
