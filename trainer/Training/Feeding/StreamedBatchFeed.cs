// A training set streamed through the device in chunks of whole batches, double-buffered: while the kernels train on
// chunk c (in one StagedUpload slot), a worker thread fills chunk c + 1 on the host (the images in the epoch's visiting
// order, binarized there when the run binarizes per batch) into the other slot's pinned array, and its upload is
// queued on the copy stream as soon as the fill is done. Each batch is then a device-to-device copy out of its chunk.
// So a set of any size trains on the GPU, host work and transfers overlap the kernels, and the only waits are one
// device synchronization per chunk (so that the slot just read may be refilled) and, if the host is slower than the
// device, the fill itself.
// Binarization draws happen on the worker, chunk after chunk in batch order, exactly as BatchLoader.FillBatch would
// draw them one batch at a time; the generator's state after every batch is kept, so Stop can rewind it to where a
// checkpoint saved mid-chunk must resume. Every CUDA call is made on the caller's thread (the worker only writes host
// memory). It does not decide the chunk size (DeviceDataPlan does).
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Transfers;

namespace VaeOnnx.Trainer.Training.Feeding;

public sealed class StreamedBatchFeed : BatchFeed
{
    private readonly GpuBackend _backend;
    private readonly StagedUpload _upload;
    private readonly int _chunkBatches;
    private ulong[]?[] _binarizationAfter = [];
    private int _firstBatch;
    private int _current = -1;
    private Task? _filling;
    private bool _nextUploaded;

    public StreamedBatchFeed(BatchLoader loader, GpuBackend backend, int chunkBatches)
        : base(loader)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkBatches);
        _backend = backend;
        _chunkBatches = Math.Min(chunkBatches, loader.BatchCount);
        _upload = new StagedUpload(backend, checked(_chunkBatches * loader.BatchSize * loader.Data.ImageSize));
    }

    /// <summary>Batches per chunk.</summary>
    public int ChunkBatches => _chunkBatches;

    public override void StartEpoch(int firstBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstBatch, Loader.BatchCount);
        WaitForFill();
        // Kernels of the previous epoch may still read either slot.
        _backend.Synchronize();
        _firstBatch = firstBatch;
        _current = -1;
        _nextUploaded = false;
        _binarizationAfter = new ulong[]?[Loader.BatchCount + 1];
        _binarizationAfter[firstBatch] = Loader.BinarizationSource?.GetState();
        _filling = firstBatch < Loader.BatchCount ? StartFill(0) : null;
    }

    public override int Next(int batchIndex, Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int chunk = ChunkOf(batchIndex);
        if (chunk != _current)
        {
            Enter(chunk);
        }
        else if (!_nextUploaded && _filling is { IsCompleted: true })
        {
            UploadNext();
        }
        ImageDataset data = Loader.Data;
        int count = Loader.ImagesIn(batchIndex);
        batch.Resize(count, data.Channels, data.Height, data.Width);
        int offset = (batchIndex - FirstBatchOf(chunk)) * Loader.BatchSize * data.ImageSize;
        _upload.CopyOut(chunk % StagedUpload.SlotCount, offset, batch);
        return count;
    }

    public override void Stop(int batchesDone)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesDone, _firstBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchesDone, Loader.BatchCount);
        WaitForFill();
        if (Loader.BinarizationSource is RandomSource binarize)
        {
            ulong[] state = _binarizationAfter[batchesDone]
                ?? throw new InvalidOperationException($"Batch {batchesDone} was never filled; the feed can only stop after a batch it has handed out.");
            binarize.SetState(state);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                _filling?.Wait();
            }
            catch (AggregateException)
            {
                // The fill's failure was reported by Next, or nobody asked for that chunk.
            }
            _upload.Dispose();
        }
    }

    private int ChunkOf(int batchIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchIndex, _firstBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batchIndex, Loader.BatchCount);
        return (batchIndex - _firstBatch) / _chunkBatches;
    }

    private int FirstBatchOf(int chunk) => _firstBatch + chunk * _chunkBatches;

    private int EndBatchOf(int chunk) => Math.Min(FirstBatchOf(chunk + 1), Loader.BatchCount);

    // Entering a chunk: its upload must have arrived, and the kernels reading the chunk before it must be done before
    // that slot is filled again (the next chunk's fill then starts on the worker).
    private void Enter(int chunk)
    {
        if (chunk != _current + 1)
        {
            throw new InvalidOperationException($"Batches come in order: chunk {chunk} was asked for after chunk {_current}.");
        }
        if (!_nextUploaded)
        {
            UploadNext();
        }
        _upload.WaitForUploads();
        _backend.Synchronize();
        _current = chunk;
        _nextUploaded = false;
        _filling = FirstBatchOf(chunk + 1) < Loader.BatchCount ? StartFill(chunk + 1) : null;
    }

    // Queues the upload of chunk _current + 1 once its fill has finished (waiting for it if need be).
    private void UploadNext()
    {
        int next = _current + 1;
        WaitForFill();
        int floats = (Math.Min(EndBatchOf(next) * Loader.BatchSize, Loader.Data.Count) - FirstBatchOf(next) * Loader.BatchSize) * Loader.Data.ImageSize;
        _upload.BeginUpload(next % StagedUpload.SlotCount, floats);
        _nextUploaded = true;
    }

    private Task StartFill(int chunk) => Task.Run(() => Fill(chunk));

    private void Fill(int chunk)
    {
        Span<float> staging = _upload.Staging(chunk % StagedUpload.SlotCount);
        RandomSource? binarize = Loader.BinarizationSource;
        int offset = 0;
        for (int b = FirstBatchOf(chunk); b < EndBatchOf(chunk); b++)
        {
            offset += Loader.FillBatch(b, staging[offset..]) * Loader.Data.ImageSize;
            _binarizationAfter[b + 1] = binarize?.GetState();
        }
    }

    // Waits for the worker's fill, if one is running, and rethrows what it threw.
    private void WaitForFill()
    {
        Task? filling = _filling;
        _filling = null;
        filling?.GetAwaiter().GetResult();
    }
}
