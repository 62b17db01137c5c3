// A float32 tensor in row-major (NCHW) layout over a reusable buffer.
// It does not do autograd or broadcasting: layers own their tensors and call Resize each step, which
// reallocates only when the buffer is too small, so steady-state training allocates nothing.
// On a GPU backend the tensor also has a device copy (Backends/DeviceMirror): host code that reads Span or Data gets
// the device's newest values downloaded first, and a kernel that reads the tensor gets host writes uploaded first.
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine;

public sealed class Tensor
{
    private int[] _shape;

    public Tensor(params int[] shape)
    {
        _shape = (int[])shape.Clone();
        Length = CheckedLength(_shape);
        _data = new float[Length];
    }

    private float[] _data;

    /// <summary>The backing buffer. Its first <see cref="Length"/> elements are the tensor; the rest is spare capacity.</summary>
    public float[] Data
    {
        get
        {
            Mirror?.PullToHost(_data, Length);
            return _data;
        }
    }

    public int Length { get; private set; }

    public ReadOnlySpan<int> Shape => _shape;

    public int Rank => _shape.Length;

    public int Dim(int axis) => _shape[axis];

    public Span<float> Span => Data.AsSpan(0, Length);

    /// <summary>The device copy when a GPU backend has used this tensor; null on the CPU.</summary>
    internal DeviceMirror<float>? Mirror { get; set; }

    /// <summary>The host buffer without synchronising (for the mirror itself).</summary>
    internal float[] HostBuffer => _data;

    /// <summary>Gives the tensor a new shape; the contents are unspecified afterwards unless the length is unchanged.</summary>
    public Tensor Resize(params ReadOnlySpan<int> shape)
    {
        int length = CheckedLength(shape);
        if (length > _data.Length)
        {
            _data = new float[length];
        }
        if (_shape.Length != shape.Length)
        {
            _shape = new int[shape.Length];
        }
        shape.CopyTo(_shape);
        Length = length;
        return this;
    }

    public void Clear() => Span.Clear();

    public override string ToString() => $"Tensor({string.Join(", ", _shape)})";

    private static int CheckedLength(ReadOnlySpan<int> shape)
    {
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor dimensions must be non-negative; got ({string.Join(", ", shape.ToArray())}).");
            }
            length *= d;
            if (length > Array.MaxLength)
            {
                throw new ArgumentException($"Tensor of shape ({string.Join(", ", shape.ToArray())}) is too large.");
            }
        }
        return (int)length;
    }
}
