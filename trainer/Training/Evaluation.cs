// Test-set evaluation of a VAE. One estimator today: the one-sample negative ELBO, split into reconstruction and KL,
// over the images in dataset order with noise from a generator seeded by the run's seed (so the number is
// reproducible and independent of when it is measured). The importance-weighted NLL estimate (evaluate
// --iw-samples K) is meant to be a second method here with the same inputs.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Trainer.Training;

public static class Evaluation
{
    /// <summary>Batch sums of the one-sample negative ELBO over every image of <paramref name="data"/>.</summary>
    public static LossBreakdown NegativeElbo(VaeNetwork network, ImageDataset data, int batchSize, ulong seed)
    {
        var loader = new BatchLoader(data, batchSize, shuffle: null, binarize: null);
        RandomSource noise = SeedStreams.Evaluation(seed);
        var batch = new Tensor(1);
        var sums = new LossBreakdown(0, 0, 0);
        loader.StartEpoch();
        for (int b = 0; b < loader.BatchCount; b++)
        {
            loader.FillBatch(b, batch);
            sums += network.Evaluate(batch, noise);
        }
        return sums;
    }
}
