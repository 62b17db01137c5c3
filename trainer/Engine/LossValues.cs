// Per-image loss values in double (length N), or any short list of doubles such as running loss sums, on the device
// of the backend that wrote them. Like Tensor, host reads through Span download the device's newest values first, so
// a GPU step can leave its losses on the device and the trainer reads them only when it reports progress.
// It does not hold shapes or gradients (Tensor does).
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine;

public sealed class LossValues
{
    private double[] _data;

    public LossValues(int length = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _data = new double[length];
        Length = length;
    }

    public int Length { get; private set; }

    /// <summary>The values, downloaded from the device first when a GPU kernel wrote them last.</summary>
    public Span<double> Span
    {
        get
        {
            Mirror?.PullToHost(_data, Length);
            return _data.AsSpan(0, Length);
        }
    }

    /// <summary>
    /// The values, for reading only: downloaded first when a GPU kernel wrote them last, but (unlike Span) not marked as
    /// written by the host, so the next kernel that reads them uploads nothing.
    /// </summary>
    public ReadOnlySpan<double> Values
    {
        get
        {
            Mirror?.PullToHost(_data, Length, hostMayWrite: false);
            return _data.AsSpan(0, Length);
        }
    }

    /// <summary>The sum of the values in index order, in double (the batch total of per-image losses).</summary>
    public double Total()
    {
        double total = 0;
        foreach (double value in Values)
        {
            total += value;
        }
        return total;
    }

    /// <summary>Sets the length; the contents are unspecified afterwards unless the length is unchanged.</summary>
    public LossValues Resize(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > _data.Length)
        {
            _data = new double[length];
        }
        Length = length;
        return this;
    }

    internal DeviceMirror<double>? Mirror { get; set; }

    internal double[] HostBuffer => _data;
}
