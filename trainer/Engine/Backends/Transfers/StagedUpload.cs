// Double-buffered host-to-device streaming for a GPU backend: two slots, each a page-locked (pinned) host staging
// array and a device buffer of the same length, and a copy stream of its own. Host code fills a slot's staging array
// (from any thread), BeginUpload queues its copy on the copy stream without waiting, and CopyOut later hands a slice of
// the uploaded slot to a kernel input on the default stream. So the copy of one chunk overlaps the kernels that read
// the other, which is what lets a training set larger than the device's memory stream through it.
// It does not decide what goes in a slot or when a slot is free: the caller (Training/Feeding/StreamedBatchFeed)
// uploads into a slot only after the kernels reading its previous contents have finished (ComputeBackend.Synchronize),
// and waits for an upload (WaitForUploads) before any kernel reads it. Queued on CUDA by the thread that runs the
// kernels, since a CUDA context is current per thread. The CPU reference of what arrives is BatchLoader.FillBatch,
// and the tests compare the two value for value.
using ILGPU;
using ILGPU.Runtime;

namespace VaeOnnx.Trainer.Engine.Backends.Transfers;

public sealed class StagedUpload : IDisposable
{
    /// <summary>Two slots: one being read by kernels while the other is filled and uploaded.</summary>
    public const int SlotCount = 2;

    private readonly GpuBackend _backend;
    private readonly AcceleratorStream _copyStream;
    private readonly PageLockedArray1D<float>[] _staging = new PageLockedArray1D<float>[SlotCount];
    private readonly MemoryBuffer1D<float, Stride1D.Dense>[] _device = new MemoryBuffer1D<float, Stride1D.Dense>[SlotCount];
    private bool _disposed;

    /// <param name="slotLength">Floats per slot (the largest chunk that will be uploaded).</param>
    public StagedUpload(GpuBackend backend, int slotLength)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotLength);
        _backend = backend;
        SlotLength = slotLength;
        Accelerator accelerator = backend.Accelerator;
        try
        {
            _copyStream = accelerator.CreateStream();
            for (int slot = 0; slot < SlotCount; slot++)
            {
                _staging[slot] = accelerator.AllocatePageLocked1D<float>(slotLength);
                _device[slot] = accelerator.Allocate1D<float>(slotLength);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Floats each slot holds.</summary>
    public int SlotLength { get; }

    /// <summary>Bytes this object holds on the device (and again, pinned, on the host).</summary>
    public long DeviceBytes => (long)SlotCount * SlotLength * sizeof(float);

    /// <summary>The slot's pinned host array, to be filled before BeginUpload (not while its upload is in flight).</summary>
    public Span<float> Staging(int slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _staging[slot].Span;
    }

    /// <summary>Queues the copy of the first <paramref name="length"/> staged values of <paramref name="slot"/> to the device; returns at once.</summary>
    public void BeginUpload(int slot, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, SlotLength);
        ArrayView<float> source = _staging[slot].ArrayView.SubView(0, length);
        _backend.Launches.Copy("upload from pinned memory on the copy stream", (long)length * sizeof(float));
        ((ArrayView<float>)_device[slot].View).SubView(0, length).CopyFrom(_copyStream, source);
    }

    /// <summary>Blocks until every queued upload has arrived on the device.</summary>
    public void WaitForUploads()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _backend.Launches.Sync("wait for the copy stream");
        _copyStream.Synchronize();
    }

    /// <summary>
    /// <paramref name="destination"/>'s device values become the slot's values [offset, offset + destination.Length),
    /// copied on the default stream (after the kernels queued before, before those queued after).
    /// </summary>
    public void CopyOut(int slot, int offset, Tensor destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + destination.Length, SlotLength, nameof(destination));
        if (destination.Length == 0)
        {
            return;
        }
        ArrayView<float> source = ((ArrayView<float>)_device[slot].View).SubView(offset, destination.Length);
        _backend.Launches.Copy("device-to-device copy", (long)destination.Length * sizeof(float));
        source.CopyTo(_backend.Accelerator.DefaultStream, _backend.Out(destination));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _copyStream?.Synchronize();
        for (int slot = 0; slot < SlotCount; slot++)
        {
            _device[slot]?.Dispose();
            _staging[slot]?.Dispose();
        }
        _copyStream?.Dispose();
    }
}
