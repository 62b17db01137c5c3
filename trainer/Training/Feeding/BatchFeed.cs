// Hands the training loop each mini-batch of an epoch where the backend computes: filled on the host (HostBatchFeed),
// gathered from a resident copy on the device (ResidentBatchFeed), or streamed in double-buffered chunks
// (StreamedBatchFeed), as a DeviceDataPlan says. Every feed gives the batches BatchLoader.FillBatch would give, in the
// same order and with the same binarization draws, so a run's result does not depend on the feed.
// Protocol per epoch: BatchLoader.StartEpoch, then StartEpoch(first batch), then Next for each batch in increasing
// order; Stop before saving a mid-epoch checkpoint. It does not shuffle (BatchLoader does) or own the loader.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Training.Feeding;

public abstract class BatchFeed : IDisposable
{
    protected BatchFeed(BatchLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        Loader = loader;
    }

    protected BatchLoader Loader { get; }

    public static BatchFeed Create(DeviceDataPlan plan, BatchLoader loader, ComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Kind switch
        {
            FeedKind.Resident => new ResidentBatchFeed(loader, backend),
            FeedKind.Streamed => new StreamedBatchFeed(loader, RequireGpu(backend), plan.ChunkBatches),
            _ => new HostBatchFeed(loader),
        };
    }

    /// <summary>Called after the loader has drawn the epoch's order; batches then come from <paramref name="firstBatch"/> on.</summary>
    public virtual void StartEpoch(int firstBatch)
    {
    }

    /// <summary>Makes <paramref name="batch"/> batch <paramref name="batchIndex"/> (B, C, H, W) on the backend; returns B.</summary>
    public abstract int Next(int batchIndex, Tensor batch);

    /// <summary>
    /// Ends the epoch early after <paramref name="batchesDone"/> batches: stops any read-ahead and leaves the loader's
    /// binarization generator as it was after those batches, so a checkpoint saved now resumes exactly.
    /// </summary>
    public virtual void Stop(int batchesDone)
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private static GpuBackend RequireGpu(ComputeBackend backend) => backend as GpuBackend
        ?? throw new ArgumentException($"Streaming the training set needs a GPU backend, not {backend.DeviceName}.", nameof(backend));
}
