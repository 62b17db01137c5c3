// Host data a GPU run needs once per epoch (the visiting order, the noise of every step), uploaded once and without
// waiting: the host fills a page-locked (pinned) array, Upload queues its copy on the default stream, where it runs
// before every kernel queued after it, and kernels read slices of the device buffer (View, CopyOut) for the rest of
// the epoch. So a step makes no host sync for its data. The pinned array is refilled only after the device has passed
// the previous copy: a host sync since that copy proves it (the epoch's end always has one, when the loop reads its
// losses); failing that, Staging waits for the device itself. Both buffers grow to the largest epoch asked for.
// The CPU reference of what arrives is the host array itself (the tests compare the two value for value).
using ILGPU;
using ILGPU.Runtime;

namespace VaeOnnx.Trainer.Engine.Backends.Transfers;

public sealed class EpochUpload<T> : IDisposable
    where T : unmanaged
{
    private readonly GpuBackend _backend;
    private PageLockedArray1D<T>? _staging;
    private MemoryBuffer1D<T, Stride1D.Dense>? _device;
    private long _syncsAtUpload = -1;
    private int _uploaded;

    public EpochUpload(GpuBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
    }

    /// <summary>Values of the last upload, on the device.</summary>
    public int Length => _uploaded;

    /// <summary>Bytes this object holds on the device (and again, pinned, on the host).</summary>
    public long DeviceBytes => (_device?.Length ?? 0) * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>
    /// A pinned host array of <paramref name="length"/> values to fill before <see cref="Upload"/>. Waits for the device
    /// only when no host sync has happened since the previous upload was queued.
    /// </summary>
    public Span<T> Staging(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (_syncsAtUpload >= 0 && _backend.HostSyncs == _syncsAtUpload)
        {
            _backend.Synchronize();
        }
        if (_staging is null || _staging.Length < length)
        {
            _staging?.Dispose();
            _staging = _backend.Accelerator.AllocatePageLocked1D<T>(Math.Max(length, 1));
        }
        return _staging.Span[..length];
    }

    /// <summary>Queues the copy of the first <paramref name="length"/> staged values to the device; returns at once.</summary>
    public void Upload(int length)
    {
        if (_staging is null || length > _staging.Length)
        {
            throw new InvalidOperationException($"Upload of {length} values: fill Staging({length}) first.");
        }
        if (_device is null || _device.Length < length)
        {
            _device?.Dispose();
            _device = _backend.Accelerator.Allocate1D<T>(Math.Max(length, 1));
        }
        if (length > 0)
        {
            _backend.Launches.Copy("upload from pinned memory", (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
            ((ArrayView<T>)_device.View).SubView(0, length).CopyFrom(_backend.Accelerator.DefaultStream, _staging.ArrayView.SubView(0, length));
        }
        _uploaded = length;
        _syncsAtUpload = _backend.HostSyncs;
    }

    /// <summary>The uploaded values [offset, offset + length) for a kernel to read.</summary>
    public ArrayView<T> View(int offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, _uploaded, nameof(length));
        return ((ArrayView<T>)_device!.View).SubView(offset, length);
    }

    /// <summary>
    /// <paramref name="destination"/>'s device values become the uploaded values [offset, offset + destination.Length),
    /// copied on the default stream (after the upload, before the kernels queued after it); the host does not wait.
    /// </summary>
    public void CopyOut(int offset, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Length == 0)
        {
            return;
        }
        ArrayView<float> source = View(offset, destination.Length).Cast<float>();
        _backend.Launches.Copy("device-to-device copy", (long)destination.Length * sizeof(float));
        source.CopyTo(_backend.Accelerator.DefaultStream, _backend.Out(destination));
    }

    public void Dispose()
    {
        if (_syncsAtUpload >= 0 && _backend.HostSyncs == _syncsAtUpload)
        {
            // The last upload may still be reading the pinned array.
            _backend.Synchronize();
        }
        _device?.Dispose();
        _staging?.Dispose();
        _device = null;
        _staging = null;
    }
}
