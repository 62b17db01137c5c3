// A float32 tensor in row-major (NCHW) layout over a reusable buffer.
// It does not do autograd or broadcasting: layers own their tensors and call Resize each step, which
// reallocates only when the buffer is too small, so steady-state training allocates nothing.
// On a GPU backend the tensor also has a device copy (Backends/DeviceMirror): host code that reads Span or Data gets
// the device's newest values downloaded first, and a kernel that reads the tensor gets host writes uploaded first.
// A tensor can also be a view of another's storage with another shape (ViewOf: Flatten, Reshape, a given noise), on
// the host and on the device alike, until it is resized.
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
    private DeviceMirror<float>? _mirror;
    private Tensor? _viewed;

    /// <summary>The backing buffer. Its first <see cref="Length"/> elements are the tensor; the rest is spare capacity.</summary>
    public float[] Data
    {
        get
        {
            float[] data = HostBuffer;
            Mirror?.PullToHost(data, Length);
            return data;
        }
    }

    /// <summary>True while this tensor is a view of another's storage (see <see cref="ViewOf"/>).</summary>
    public bool IsView => _viewed is not null;

    public int Length { get; private set; }

    public ReadOnlySpan<int> Shape => _shape;

    public int Rank => _shape.Length;

    public int Dim(int axis) => _shape[axis];

    public Span<float> Span => Data.AsSpan(0, Length);

    /// <summary>
    /// The values, for reading only: downloaded first when a GPU kernel wrote them last, but (unlike Span) not marked
    /// as written by the host, so the next kernel that reads the tensor uploads nothing.
    /// </summary>
    public ReadOnlySpan<float> Values
    {
        get
        {
            float[] data = HostBuffer;
            Mirror?.PullToHost(data, Length, hostMayWrite: false);
            return data.AsSpan(0, Length);
        }
    }

    /// <summary>The device copy when a GPU backend has used this tensor (a view's is its source's); null on the CPU.</summary>
    internal DeviceMirror<float>? Mirror
    {
        get => _viewed is null ? _mirror : _viewed.Mirror;
        set
        {
            if (_viewed is null)
            {
                _mirror = value;
            }
            else
            {
                _viewed.Mirror = value;
            }
        }
    }

    /// <summary>The host buffer without synchronising (for the mirror itself).</summary>
    internal float[] HostBuffer => _viewed is null ? _data : _viewed.HostBuffer;

    /// <summary>
    /// Makes this tensor a view of <paramref name="source"/>'s values with the shape <paramref name="shape"/> (the same
    /// length or less): no copy, on the host or the device; writes through either show in both. It stays a view until
    /// the next <see cref="Resize"/>, which gives it storage of its own again.
    /// </summary>
    public Tensor ViewOf(Tensor source, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(source);
        int length = CheckedLength(shape);
        if (length > source.Length)
        {
            throw new ArgumentException($"A view of {source} cannot have the shape ({string.Join(", ", shape.ToArray())}): it holds {source.Length} values.", nameof(shape));
        }
        Tensor root = source._viewed ?? source;
        if (ReferenceEquals(root, this))
        {
            throw new ArgumentException("A tensor cannot be a view of itself.", nameof(source));
        }
        _viewed = root;
        SetShape(shape, length);
        return this;
    }

    /// <summary>Gives the tensor a new shape; the contents are unspecified afterwards unless the length is unchanged.</summary>
    public Tensor Resize(params ReadOnlySpan<int> shape)
    {
        int length = CheckedLength(shape);
        if (_viewed is not null)
        {
            // A view ends here: the tensor's own storage (and device copy) serve it again.
            _viewed = null;
        }
        if (length > _data.Length)
        {
            _data = new float[length];
        }
        SetShape(shape, length);
        return this;
    }

    private void SetShape(ReadOnlySpan<int> shape, int length)
    {
        if (_shape.Length != shape.Length)
        {
            _shape = new int[shape.Length];
        }
        shape.CopyTo(_shape);
        Length = length;
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
