// The negative ELBO of a batch split into its two terms, as unweighted sums over the batch (nats), plus the image count.
// Batches add up with +, so an epoch's total is the sum of its batches'; the per-image values divide by Count.
namespace VaeOnnx.Trainer.Models;

public readonly record struct LossBreakdown(double Reconstruction, double Kl, int Count)
{
    /// <summary>Reconstruction + KL: the negative ELBO summed over the batch (the KL weight is not applied).</summary>
    public double Total => Reconstruction + Kl;

    public double ReconstructionPerImage => Count == 0 ? 0 : Reconstruction / Count;

    public double KlPerImage => Count == 0 ? 0 : Kl / Count;

    /// <summary>Negative ELBO in nats per image, the number VAE papers report.</summary>
    public double TotalPerImage => Count == 0 ? 0 : Total / Count;

    public static LossBreakdown operator +(LossBreakdown a, LossBreakdown b) =>
        new(a.Reconstruction + b.Reconstruction, a.Kl + b.Kl, a.Count + b.Count);
}
