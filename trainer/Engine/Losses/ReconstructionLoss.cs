// The contract of a VAE's reconstruction term: -log p(x | decoder output), summed over each image's elements.
// Losses own their gradient buffer and scratch space, so steady-state training allocates nothing.
// It does not average: the classic VAE objective sums over pixels and the trainer divides by the image count for reports.
namespace VaeOnnx.Trainer.Engine.Losses;

public abstract class ReconstructionLoss
{
    /// <summary>
    /// Returns the loss summed over the whole batch, in nats. <paramref name="perImage"/>, when not empty, must have
    /// length N and receives each image's sum. <paramref name="prediction"/> and <paramref name="targets"/> are (N, ...) alike.
    /// </summary>
    public abstract double Forward(Tensor prediction, Tensor targets, Span<double> perImage = default);

    /// <summary>d(scale * loss)/d(prediction) for the last Forward, in a tensor this loss owns.</summary>
    public abstract Tensor Backward(float scale = 1f);

    private protected static int CheckShapes(string loss, Tensor prediction, Tensor targets, Span<double> perImage)
    {
        if (prediction.Rank < 1 || !prediction.Shape.SequenceEqual(targets.Shape))
        {
            throw new ArgumentException(
                $"{loss}: prediction {prediction} and targets {targets} must have the same shape (N, ...).", nameof(targets));
        }
        int n = prediction.Dim(0);
        if (!perImage.IsEmpty && perImage.Length != n)
        {
            throw new ArgumentException($"{loss}: perImage has length {perImage.Length}; it must be empty or the batch size {n}.", nameof(perImage));
        }
        return n;
    }
}
