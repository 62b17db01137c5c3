// The device copy of a host array (a Tensor's floats or a LossValues' doubles) on one GPU backend, and which side holds
// the newest values. Kernels ask for a view to read (host writes are uploaded first) or to write (the device becomes
// newest); host code reading the array downloads the device's values first. So data moves only when the other side
// changed it: a training step on the GPU moves nothing back unless someone reads.
// Its device storage is a buffer of its own, or a slice of a larger buffer it was moved into (MoveTo: the parameter
// arena that lets one Adam launch update every parameter); a slice never grows.
// It does not track writes through spans taken before a kernel ran: host code takes Span again after device work.
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace VaeOnnx.Trainer.Engine.Backends;

public sealed class DeviceMirror<T> : IDisposable
    where T : unmanaged
{
    private readonly Accelerator _accelerator;
    private MemoryBuffer1D<T, Stride1D.Dense>? _buffer;
    private ArrayView<T> _slice;
    private bool _inSlice;
    private bool _hostNewer = true;
    private bool _deviceNewer;

    internal DeviceMirror(GpuBackend owner, Accelerator accelerator)
    {
        Owner = owner;
        _accelerator = accelerator;
    }

    public GpuBackend Owner { get; }

    /// <summary>Bytes of device memory this copy holds now (a slice of a shared buffer counts with that buffer, not here).</summary>
    internal long AllocatedBytes => _buffer?.LengthInBytes ?? 0;

    /// <summary>
    /// Moves the device copy into <paramref name="slice"/> (at least <paramref name="length"/> long) of a buffer owned
    /// elsewhere, keeping its values: the device's newest values are copied there on the stream, otherwise the host's are
    /// uploaded on the next read. Its own buffer, if any, is freed.
    /// </summary>
    internal void MoveTo(ArrayView<T> slice, int length, object owner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slice.Length, length, nameof(slice));
        ArrayView<T> target = slice.SubView(0, length);
        if (_deviceNewer && length > 0)
        {
            Current.SubView(0, length).CopyTo(_accelerator.DefaultStream, target);
        }
        else
        {
            _hostNewer = true;
        }
        _buffer?.Dispose();
        _buffer = null;
        _slice = slice;
        _inSlice = true;
        SliceOwner = owner;
    }

    /// <summary>Whoever owns the buffer this copy was last moved into (null while it has a buffer of its own).</summary>
    internal object? SliceOwner { get; private set; }

    private ArrayView<T> Current => _inSlice ? _slice : _buffer is null ? default : (ArrayView<T>)_buffer.View;

    /// <summary>
    /// Downloads when the device holds newer values. Afterwards the host may write (the next kernel read uploads), unless
    /// <paramref name="hostMayWrite"/> is false: then both copies are known equal and nothing goes up again.
    /// </summary>
    internal void PullToHost(T[] host, int length, bool hostMayWrite = true)
    {
        if (_deviceNewer && (_buffer is not null || _inSlice) && length > 0)
        {
            Owner.Launches.Sync("download", (long)length * Unsafe.SizeOf<T>());
            Owner.CountSync();
            Current.SubView(0, length).CopyToCPU(new Span<T>(host, 0, length));
        }
        _deviceNewer = false;
        _hostNewer |= hostMayWrite;
    }

    /// <summary>A view of the first <paramref name="length"/> values for a kernel to read.</summary>
    internal ArrayView<T> Read(T[] host, int length)
    {
        ArrayView<T> view = Ensure(length);
        if (_hostNewer)
        {
            if (length > 0)
            {
                Owner.Launches.Sync("upload", (long)length * Unsafe.SizeOf<T>());
                Owner.CountSync();
                view.CopyFromCPU(new ReadOnlySpan<T>(host, 0, length));
            }
            _hostNewer = false;
        }
        return view;
    }

    /// <summary>A view for a kernel that overwrites every value (nothing is uploaded).</summary>
    internal ArrayView<T> Write(int length)
    {
        ArrayView<T> view = Ensure(length);
        _hostNewer = false;
        _deviceNewer = true;
        return view;
    }

    /// <summary>A view for a kernel that reads and updates the values in place.</summary>
    internal ArrayView<T> ReadWrite(T[] host, int length)
    {
        ArrayView<T> view = Read(host, length);
        _deviceNewer = true;
        return view;
    }

    public void Dispose()
    {
        _buffer?.Dispose();
        _buffer = null;
        _inSlice = false;
        SliceOwner = null;
    }

    private ArrayView<T> Ensure(int length)
    {
        if (_inSlice)
        {
            if (length > _slice.Length)
            {
                throw new InvalidOperationException($"A tensor whose device copy lives in a shared buffer cannot grow from {_slice.Length} to {length} values.");
            }
            return _slice.SubView(0, length);
        }
        if (_buffer is null || _buffer.Length < length)
        {
            _buffer?.Dispose();
            _buffer = _accelerator.Allocate1D<T>(Math.Max(length, 1));
            // A fresh buffer holds nothing: unless the device had the newest values (lost only across a growing
            // Resize, after which contents are unspecified anyway), the host's values are the ones to upload.
            if (!_deviceNewer)
            {
                _hostNewer = true;
            }
        }
        return ((ArrayView<T>)_buffer.View).SubView(0, length);
    }
}
