// The importance-weighted autoencoder bound of Burda et al. 2015 (IWAE), with K samples of z per image:
//   -log p(x) <= -log (1/K sum_k p(x|z_k) p(z_k) / q(z_k|x)),   z_k = mu + exp(0.5 logvar) eps_k,  eps_k ~ N(0, I)
// and its gradient through the log-sum-exp: each sample's terms are weighted by its normalised importance weight
// (the formulas, forward beside backward, are in Backends/Losses/ImportanceWeightsCpu.cs). K = 1 is the ELBO with a
// sampled KL; larger K tightens the bound. The KL weight beta (warm-up) multiplies log q(z|x) - log p(z) inside the
// weights; the bound it reports is always the true one, at beta = 1, split as MeanReconstruction + Remainder.
// The network runs the decoder on all N*K samples and computes the reconstruction term of each (any
// ReconstructionLoss); this class draws the samples, turns the per-sample reconstruction into weights and bounds, and
// takes the decoder's dZ back to dMu and dLogVar. It does not run the decoder and does not repeat the images.
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class ImportanceWeightedBound
{
    /// <summary>The most samples per image (the per-image loop keeps its K log-weights on the stack).</summary>
    public const int MaxSamples = 1024;

    private readonly Tensor _epsilon = new(0, 0);
    private readonly Tensor _std = new(0, 0);
    private readonly Tensor _z = new(0, 0);
    private readonly Tensor _weights = new(0);
    private readonly Tensor _gradMu = new(0, 0);
    private readonly Tensor _gradLogVar = new(0, 0);
    private readonly LossValues _meanReconstruction = new();
    private readonly LossValues _remainder = new();
    private Tensor? _logVar;
    private float _klWeight = 1f;

    /// <summary>Where the bound runs; set by the network to its own backend.</summary>
    public ComputeBackend Backend { get; set; } = CpuBackend.Instance;

    /// <summary>Samples per image of the last <see cref="Sample(Tensor, Tensor, RandomSource, int)"/>.</summary>
    public int Samples { get; private set; } = 1;

    /// <summary>The noise of the last sample, (N*K, L), row n*K + k.</summary>
    public Tensor Epsilon => _epsilon;

    /// <summary>The normalised importance weights of the last <see cref="Compute"/>, (N*K); each image's K weights sum to 1.</summary>
    public Tensor Weights => _weights;

    /// <summary>Each image's reconstruction term averaged over its K samples (N), on the device until read.</summary>
    public LossValues MeanReconstruction => _meanReconstruction;

    /// <summary>
    /// Each image's bound less its mean reconstruction (N): the KL term of the bound, less what the K samples tighten
    /// it by (for K = 1, the sampled KL). The bound is MeanReconstruction + Remainder.
    /// </summary>
    public LossValues Remainder => _remainder;

    public Tensor GradMu => _gradMu;

    public Tensor GradLogVar => _gradLogVar;

    // mu (N, L), logvar (N, L) -> z (N*K, L), drawing eps (N*K, L) from noise in row order.
    public Tensor Sample(Tensor mu, Tensor logVar, RandomSource noise, int samples)
    {
        ArgumentNullException.ThrowIfNull(noise);
        CheckShapes(mu, logVar, samples);
        _epsilon.Resize(mu.Dim(0) * samples, mu.Dim(1));
        noise.FillGaussian(_epsilon.Span);
        return Draw(mu, logVar, samples);
    }

    // mu (N, L), logvar (N, L), eps (N*K, L) -> z (N*K, L)
    public Tensor Sample(Tensor mu, Tensor logVar, Tensor epsilon, int samples)
    {
        CheckShapes(mu, logVar, samples);
        if (epsilon.Rank != 2 || epsilon.Dim(0) != mu.Dim(0) * samples || epsilon.Dim(1) != mu.Dim(1))
        {
            throw new ArgumentException($"ImportanceWeightedBound: eps {epsilon} must be ({mu.Dim(0) * samples}, {mu.Dim(1)}) for {samples} samples of mu {mu}.", nameof(epsilon));
        }
        _epsilon.Resize(epsilon.Shape);
        Backend.Copy(epsilon, _epsilon);
        return Draw(mu, logVar, samples);
    }

    /// <summary>
    /// From each sample's reconstruction term (N*K, e.g. ReconstructionLoss.PerImage over the repeated images) computes
    /// the weights, <see cref="MeanReconstruction"/> and <see cref="Remainder"/>, left on the device.
    /// </summary>
    public void Compute(LossValues reconstruction, float klWeight = 1f)
    {
        Tensor logVar = _logVar ?? throw new InvalidOperationException("ImportanceWeightedBound: Compute called before Sample.");
        if (!float.IsFinite(klWeight) || klWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(klWeight), klWeight, "The KL weight must be a finite number >= 0 (1 for the bound itself).");
        }
        if (reconstruction.Length != _z.Dim(0))
        {
            throw new ArgumentException($"ImportanceWeightedBound: {reconstruction.Length} reconstruction terms for {_z.Dim(0)} samples.", nameof(reconstruction));
        }
        int images = logVar.Dim(0);
        _klWeight = klWeight;
        Backend.ImportanceWeights(reconstruction, _z, _epsilon, logVar, Samples, klWeight, _weights.Resize(_z.Dim(0)),
            _meanReconstruction.Resize(images), _remainder.Resize(images));
    }

    /// <summary>Each image's bound, -(log-mean-exp of its K log weights) at KL weight 1, in nats, read back from the device.</summary>
    public double[] Bound()
    {
        double[] bound = [.. _meanReconstruction.Span];
        ReadOnlySpan<double> remainder = _remainder.Span;
        for (int i = 0; i < bound.Length; i++)
        {
            bound[i] += remainder[i];
        }
        return bound;
    }

    /// <summary>d(loss)/d(decoder output) (N*K, ...) from the reconstruction's unscaled gradient: row n*K + k times its weight, in place.</summary>
    public Tensor WeightRows(Tensor reconstructionGradient)
    {
        if (reconstructionGradient.Rank < 1 || reconstructionGradient.Dim(0) != _weights.Length)
        {
            throw new ArgumentException($"ImportanceWeightedBound: the gradient {reconstructionGradient} must have one row per sample ({_weights.Length}).", nameof(reconstructionGradient));
        }
        Backend.ScaleRows(reconstructionGradient, _weights, reconstructionGradient);
        return reconstructionGradient;
    }

    /// <summary>From the decoder's dZ (N*K, L) writes <see cref="GradMu"/> and <see cref="GradLogVar"/> (N, L), overwriting them.</summary>
    public void Backward(Tensor gradZ)
    {
        Tensor logVar = _logVar ?? throw new InvalidOperationException("ImportanceWeightedBound: Backward called before Sample.");
        if (!gradZ.Shape.SequenceEqual(_z.Shape))
        {
            throw new ArgumentException($"ImportanceWeightedBound expects dZ shaped like z {_z}; got {gradZ}.", nameof(gradZ));
        }
        Backend.ImportanceWeightsBackward(gradZ, _z, _epsilon, _std, _weights, Samples, _klWeight, _gradMu.Resize(logVar.Shape), _gradLogVar.Resize(logVar.Shape));
    }

    private Tensor Draw(Tensor mu, Tensor logVar, int samples)
    {
        Samples = samples;
        _logVar = logVar;
        Backend.ImportanceSample(mu, logVar, _epsilon, samples, _std.Resize(mu.Shape), _z.Resize(mu.Dim(0) * samples, mu.Dim(1)));
        return _z;
    }

    private static void CheckShapes(Tensor mu, Tensor logVar, int samples)
    {
        if (mu.Rank != 2 || !mu.Shape.SequenceEqual(logVar.Shape))
        {
            throw new ArgumentException($"ImportanceWeightedBound expects mu and logvar both (N, L); got {mu} and {logVar}.", nameof(logVar));
        }
        if (samples is < 1 or > MaxSamples)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"The bound takes 1 to {MaxSamples} samples per image.");
        }
    }
}
