// The closed-form KL divergence of the encoder's diagonal Gaussian from the standard normal prior, per image:
//   KL(N(mu, exp(logvar)) || N(0, I)) = -0.5 * sum_j (1 + logvar_j - mu_j^2 - exp(logvar_j))
//   gradients: dMu = mu, dLogVar = 0.5 * (exp(logvar) - 1)
// It does not handle other priors or full covariances. Sums are in double: the latent is small (N x L values).
namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class GaussianKl
{
    private readonly Tensor _gradMu = new(0, 0);
    private readonly Tensor _gradLogVar = new(0, 0);
    private Tensor? _mu;
    private Tensor? _logVar;

    public Tensor GradMu => _gradMu;

    public Tensor GradLogVar => _gradLogVar;

    // mu (N, L), logvar (N, L) -> sum over the batch; perImage (N)
    public double Forward(Tensor mu, Tensor logVar, Span<double> perImage = default)
    {
        if (mu.Rank != 2 || !mu.Shape.SequenceEqual(logVar.Shape))
        {
            throw new ArgumentException($"GaussianKl expects mu and logvar both (N, L); got {mu} and {logVar}.", nameof(logVar));
        }
        int n = mu.Dim(0), latent = mu.Dim(1);
        if (!perImage.IsEmpty && perImage.Length != n)
        {
            throw new ArgumentException($"GaussianKl: perImage has length {perImage.Length}; it must be empty or the batch size {n}.", nameof(perImage));
        }
        _mu = mu;
        _logVar = logVar;
        ReadOnlySpan<float> m = mu.Span, lv = logVar.Span;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = i * latent; j < (i + 1) * latent; j++)
            {
                double l = lv[j], u = m[j];
                sum += 1 + l - u * u - Math.Exp(l);
            }
            double image = -0.5 * sum;
            if (!perImage.IsEmpty)
            {
                perImage[i] = image;
            }
            total += image;
        }
        return total;
    }

    /// <summary>Writes d(scale * KL)/d(mu) and d(scale * KL)/d(logvar) into <see cref="GradMu"/> and <see cref="GradLogVar"/>.</summary>
    public void Backward(float scale = 1f)
    {
        Tensor mu = _mu ?? throw new InvalidOperationException("GaussianKl: Backward called before Forward.");
        ReadOnlySpan<float> m = mu.Span, lv = _logVar!.Span;
        Span<float> dMu = _gradMu.Resize(mu.Shape).Span;
        Span<float> dLogVar = _gradLogVar.Resize(mu.Shape).Span;
        for (int j = 0; j < m.Length; j++)
        {
            dMu[j] = scale * m[j];
            dLogVar[j] = (float)(0.5 * scale * (Math.Exp(lv[j]) - 1));
        }
    }
}
