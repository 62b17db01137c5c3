// The whole training set on the device, uploaded once (on the first batch), and each batch gathered there from the
// epoch's visiting order (ComputeBackend.GatherImages), so a step moves only the batch's indices to the device.
// It cannot binarize per batch (that draws on the host); DeviceDataPlan streams such runs instead.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Training.Feeding;

public sealed class ResidentBatchFeed : BatchFeed
{
    private readonly ComputeBackend _backend;
    private readonly Tensor _images;

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
    }

    public override int Next(int batchIndex, Tensor batch)
    {
        ImageDataset data = Loader.Data;
        int count = Loader.ImagesIn(batchIndex);
        batch.Resize(count, data.Channels, data.Height, data.Width);
        _backend.GatherImages(_images, data.ImageSize, Loader.Order.Slice(batchIndex * Loader.BatchSize, count), batch);
        return count;
    }
}
