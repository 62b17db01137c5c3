// The device copy of a host array (a Tensor's floats or a LossValues' doubles) on one GPU backend, and which side holds
// the newest values. Kernels ask for a view to read (host writes are uploaded first) or to write (the device becomes
// newest); host code reading the array downloads the device's values first. So data moves only when the other side
// changed it: a training step on the GPU moves nothing back unless someone reads.
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
    private bool _hostNewer = true;
    private bool _deviceNewer;

    internal DeviceMirror(GpuBackend owner, Accelerator accelerator)
    {
        Owner = owner;
        _accelerator = accelerator;
    }

    public GpuBackend Owner { get; }

    /// <summary>Bytes of device memory this copy holds now.</summary>
    internal long AllocatedBytes => _buffer?.LengthInBytes ?? 0;

    /// <summary>Downloads when the device holds newer values; afterwards the host may write (the next read uploads).</summary>
    internal void PullToHost(T[] host, int length)
    {
        if (_deviceNewer && _buffer is not null && length > 0)
        {
            Owner.Launches.Sync("download", (long)length * Unsafe.SizeOf<T>());
            ((ArrayView<T>)_buffer.View).SubView(0, length).CopyToCPU(new Span<T>(host, 0, length));
        }
        _deviceNewer = false;
        _hostNewer = true;
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
    }

    private ArrayView<T> Ensure(int length)
    {
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
