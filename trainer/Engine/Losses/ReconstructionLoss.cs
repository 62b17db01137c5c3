// The contract of a VAE's reconstruction term: -log p(x | decoder output), summed over each image's elements.
// Losses own their gradient buffer and their per-image values, so steady-state training allocates nothing; both live
// on the backend's device (Backends/Losses), so a GPU step can leave them there (Compute) and read them later.
// It does not average: the classic VAE objective sums over pixels and the trainer divides by the image count for reports.
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Losses;

public abstract class ReconstructionLoss
{
    private readonly LossValues _perImage = new();

    /// <summary>Where the loss runs; set by the network to its own backend.</summary>
    public ComputeBackend Backend { get; set; } = CpuBackend.Instance;

    /// <summary>Each image's loss from the last <see cref="Compute"/> (length N), on the backend's device until read.</summary>
    public virtual LossValues PerImage => _perImage;

    /// <summary>
    /// Computes each image's loss into <see cref="PerImage"/> without reading it back. <paramref name="prediction"/>
    /// and <paramref name="targets"/> are (N, ...) alike.
    /// </summary>
    public abstract void Compute(Tensor prediction, Tensor targets);

    /// <summary>
    /// Returns the loss summed over the whole batch, in nats. <paramref name="perImage"/>, when not empty, must have
    /// length N and receives each image's sum.
    /// </summary>
    public double Forward(Tensor prediction, Tensor targets, Span<double> perImage = default)
    {
        Compute(prediction, targets);
        LossValues values = PerImage;
        if (!perImage.IsEmpty)
        {
            if (perImage.Length != values.Length)
            {
                throw new ArgumentException($"{GetType().Name}: perImage has length {perImage.Length}; it must be empty or the batch size {values.Length}.", nameof(perImage));
            }
            values.Span.CopyTo(perImage);
        }
        return values.Total();
    }

    /// <summary>d(scale * loss)/d(prediction) for the last Forward, in a tensor this loss owns.</summary>
    public abstract Tensor Backward(float scale = 1f);

    private protected static int CheckShapes(string loss, Tensor prediction, Tensor targets)
    {
        if (prediction.Rank < 1 || !prediction.Shape.SequenceEqual(targets.Shape))
        {
            throw new ArgumentException(
                $"{loss}: prediction {prediction} and targets {targets} must have the same shape (N, ...).", nameof(targets));
        }
        return prediction.Dim(0);
    }
}
