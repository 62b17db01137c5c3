// The whole training set on the device, uploaded once (at the first epoch's start), and each batch gathered there. On
// a GPU the epoch's visiting order goes up once per epoch too, from pinned memory without waiting
// (Engine/Backends/Transfers/EpochUpload), and each batch's gather reads its slice of it: a step makes no host sync.
// On any other backend the batch's indices are handed over per step (ComputeBackend.GatherImages).
// It cannot binarize per batch (that draws on the host); DeviceDataPlan streams such runs instead.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Transfers;

namespace VaeOnnx.Trainer.Training.Feeding;

public sealed class ResidentBatchFeed : BatchFeed
{
    private readonly ComputeBackend _backend;
    private readonly Tensor _images;
    private readonly EpochUpload<int>? _order;
    private int _firstBatch;

    public ResidentBatchFeed(BatchLoader loader, ComputeBackend backend)
        : base(loader)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (loader.BinarizationSource is not null)
        {
            throw new ArgumentException("A resident training set cannot be binarized per batch; stream it instead.", nameof(loader));
        }
        _backend = backend;
        ImageDataset data = loader.Data;
        _images = new Tensor(data.Count, data.ImageSize);
        data.Pixels.AsSpan(0, _images.Length).CopyTo(_images.Span);
        if (backend is GpuBackend gpu)
        {
            _order = new EpochUpload<int>(gpu);
        }
    }

    public override void StartEpoch(int firstBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstBatch, Loader.BatchCount);
        _firstBatch = firstBatch;
        if (_backend is GpuBackend gpu && _order is not null)
        {
            // The set goes up once (a sync, before any step); the epoch's remaining order without waiting.
            gpu.In(_images);
            ReadOnlySpan<int> order = Loader.Order[(firstBatch * Loader.BatchSize)..];
            order.CopyTo(_order.Staging(order.Length));
            _order.Upload(order.Length);
        }
    }

    public override int Next(int batchIndex, Tensor batch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchIndex, _firstBatch);
        ImageDataset data = Loader.Data;
        int count = Loader.ImagesIn(batchIndex);
        batch.Resize(count, data.Channels, data.Height, data.Width);
        int start = batchIndex * Loader.BatchSize;
        if (_backend is GpuBackend gpu && _order is not null)
        {
            gpu.GatherImages(_images, data.ImageSize, _order.View(start - _firstBatch * Loader.BatchSize, count), batch);
        }
        else
        {
            _backend.GatherImages(_images, data.ImageSize, Loader.Order.Slice(start, count), batch);
        }
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _order?.Dispose();
        }
    }
}
