// Converts between .NET spans and ONNX TensorProto data: float and int64 tensors are written as little-endian
// raw_data (what PyTorch's exporter writes) and read back from raw_data or the typed *_data fields.
// Deliberately covers only the element types VaeOnnx uses (float, int64); other types pass through untouched.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public static class TensorData
{
    /// <summary>A float tensor named <paramref name="name"/> with the given dims, stored as raw_data.</summary>
    public static TensorProto FromFloats(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> dims)
    {
        byte[] raw = new byte[checked(values.Length * sizeof(float))];
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(values).CopyTo(raw);
        else
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        return Create(name, ElementType.Float, raw, dims);
    }

    /// <summary>An int64 tensor (e.g. a Reshape shape) named <paramref name="name"/>, stored as raw_data.</summary>
    public static TensorProto FromInt64s(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> dims)
    {
        byte[] raw = new byte[checked(values.Length * sizeof(long))];
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(values).CopyTo(raw);
        else
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        return Create(name, ElementType.Int64, raw, dims);
    }

    /// <summary>The values of a float tensor, from raw_data or float_data.</summary>
    public static float[] ToFloats(TensorProto tensor)
    {
        RequireType(tensor, ElementType.Float);
        if (!tensor.HasRawData)
            return tensor.FloatData.ToArray();
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        RequireWholeElements(tensor, raw.Length, sizeof(float));
        var values = new float[raw.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * sizeof(float))..]);
        return values;
    }

    /// <summary>The values of an int64 tensor, from raw_data or int64_data.</summary>
    public static long[] ToInt64s(TensorProto tensor)
    {
        RequireType(tensor, ElementType.Int64);
        if (!tensor.HasRawData)
            return tensor.Int64Data.ToArray();
        ReadOnlySpan<byte> raw = tensor.RawData.Span;
        RequireWholeElements(tensor, raw.Length, sizeof(long));
        var values = new long[raw.Length / sizeof(long)];
        for (int i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(i * sizeof(long))..]);
        return values;
    }

    /// <summary>The number of elements a tensor with these dims holds (1 for a scalar).</summary>
    public static long ElementCount(IEnumerable<long> dims)
    {
        long count = 1;
        foreach (long dim in dims)
        {
            if (dim < 0)
                throw new ArgumentException($"Tensor dims must be 0 or more, got {string.Join(", ", dims)}.", nameof(dims));
            count = checked(count * dim);
        }
        return count;
    }

    private static TensorProto Create(string name, ElementType type, byte[] raw, ReadOnlySpan<long> dims)
    {
        ArgumentNullException.ThrowIfNull(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = UnsafeByteOperations.UnsafeWrap(raw) };
        tensor.Dims.AddRange(dims.ToArray());
        return tensor;
    }

    private static void RequireType(TensorProto tensor, ElementType expected)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DataType != (int)expected)
            throw new ArgumentException($"Tensor '{tensor.Name}' has data_type {(ElementType)tensor.DataType}, expected {expected}.", nameof(tensor));
    }

    private static void RequireWholeElements(TensorProto tensor, int byteCount, int elementSize)
    {
        if (byteCount % elementSize != 0)
            throw new InvalidDataException($"Tensor '{tensor.Name}' has {byteCount} bytes of raw_data, not a multiple of {elementSize}; the file is damaged.");
    }
}
