// The reparameterisation trick, z = mu + exp(0.5 * logvar) * eps with eps ~ N(0, I), so that gradients flow to the
// encoder through a sample:  dMu = dZ,  dLogVar = dZ * eps * 0.5 * exp(0.5 * logvar).
// eps comes from a RandomSource, or is given (golden tests pass PyTorch's noise; a GPU run passes a whole epoch's
// noise, drawn once and uploaded: Training/Feeding/NoiseFeed). It does not add the KL gradient.
// eps is always drawn on the host from the same generator, so a GPU run sees the same noise as a CPU run; the sample
// and its gradient are backend ops (Backends/Losses: LossesCpu, LossesGpu).
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Losses;

public sealed class Reparameterization
{
    private readonly Tensor _epsilon = new(0, 0);
    private readonly Tensor _std = new(0, 0);
    private readonly Tensor _z = new(0, 0);
    private readonly Tensor _gradMu = new(0, 0);
    private readonly Tensor _gradLogVar = new(0, 0);

    /// <summary>Where the sample runs; set by the network to its own backend.</summary>
    public ComputeBackend Backend { get; set; } = CpuBackend.Instance;

    /// <summary>The noise of the last Forward, (N, L).</summary>
    public Tensor Epsilon => _epsilon;

    public Tensor GradMu => _gradMu;

    public Tensor GradLogVar => _gradLogVar;

    // mu (N, L), logvar (N, L) -> z (N, L), drawing eps from noise.
    public Tensor Forward(Tensor mu, Tensor logVar, RandomSource noise)
    {
        CheckShapes(mu, logVar);
        _epsilon.Resize(mu.Shape);
        noise.FillGaussian(_epsilon.Span);
        return Sample(mu, logVar);
    }

    // mu (N, L), logvar (N, L), eps (N, L) -> z (N, L)
    public Tensor Forward(Tensor mu, Tensor logVar, Tensor epsilon)
    {
        CheckShapes(mu, logVar);
        if (!epsilon.Shape.SequenceEqual(mu.Shape))
        {
            throw new ArgumentException($"Reparameterization: eps {epsilon} must have mu's shape {mu}.", nameof(epsilon));
        }
        // A view, not a copy: the caller's eps stays as it is until the next step.
        _epsilon.ViewOf(epsilon, mu.Shape);
        return Sample(mu, logVar);
    }

    /// <summary>From dZ (N, L) writes <see cref="GradMu"/> and <see cref="GradLogVar"/> (overwriting them).</summary>
    public void Backward(Tensor gradZ)
    {
        if (!gradZ.Shape.SequenceEqual(_z.Shape))
        {
            throw new ArgumentException($"Reparameterization expects dZ shaped like z {_z}; got {gradZ}.", nameof(gradZ));
        }
        Backend.ReparameterizeBackward(gradZ, _epsilon, _std, _gradMu.Resize(_z.Shape), _gradLogVar.Resize(_z.Shape));
    }

    private Tensor Sample(Tensor mu, Tensor logVar)
    {
        Backend.Reparameterize(mu, logVar, _epsilon, _std.Resize(mu.Shape), _z.Resize(mu.Shape));
        return _z;
    }

    private static void CheckShapes(Tensor mu, Tensor logVar)
    {
        if (mu.Rank != 2 || !mu.Shape.SequenceEqual(logVar.Shape))
        {
            throw new ArgumentException($"Reparameterization expects mu and logvar both (N, L); got {mu} and {logVar}.", nameof(logVar));
        }
    }
}
