// The value of a node attribute for the generic GraphBuilder.Node: float, int, string, floats, ints, strings or a
// tensor, each converting implicitly so attributes read as `["alpha"] = 0.2f, ["kernel_shape"] = new long[] { 3, 3 }`.
// Booleans become ints 0/1, as ONNX spells them. Graph-valued attributes (If, Loop) are deliberately not offered.
using Google.Protobuf;
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public sealed class AttributeValue
{
    private readonly float _float;
    private readonly long _int;
    private readonly string? _string;
    private readonly float[]? _floats;
    private readonly long[]? _ints;
    private readonly string[]? _strings;
    private readonly TensorProto? _tensor;

    private AttributeValue(AttributeProto.Types.AttributeType type, float f = 0, long i = 0, string? s = null,
        float[]? floats = null, long[]? ints = null, string[]? strings = null, TensorProto? tensor = null)
    {
        Type = type;
        _float = f;
        _int = i;
        _string = s;
        _floats = floats;
        _ints = ints;
        _strings = strings;
        _tensor = tensor;
    }

    public AttributeProto.Types.AttributeType Type { get; }

    public static AttributeValue Float(float value) => new(AttributeProto.Types.AttributeType.Float, f: value);

    public static AttributeValue Int(long value) => new(AttributeProto.Types.AttributeType.Int, i: value);

    public static AttributeValue String(string value) =>
        new(AttributeProto.Types.AttributeType.String, s: value ?? throw new ArgumentNullException(nameof(value)));

    public static AttributeValue Floats(IEnumerable<float> values) =>
        new(AttributeProto.Types.AttributeType.Floats, floats: (values ?? throw new ArgumentNullException(nameof(values))).ToArray());

    public static AttributeValue Ints(IEnumerable<long> values) =>
        new(AttributeProto.Types.AttributeType.Ints, ints: (values ?? throw new ArgumentNullException(nameof(values))).ToArray());

    public static AttributeValue Strings(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        string[] copy = values.ToArray();
        if (copy.Any(s => s is null))
            throw new ArgumentException("A strings attribute cannot contain null; use an empty string instead.", nameof(values));
        return new(AttributeProto.Types.AttributeType.Strings, strings: copy);
    }

    public static AttributeValue Tensor(TensorProto value) =>
        new(AttributeProto.Types.AttributeType.Tensor, tensor: (value ?? throw new ArgumentNullException(nameof(value))).Clone());

    public static implicit operator AttributeValue(float value) => Float(value);

    public static implicit operator AttributeValue(double value) => Float((float)value);

    public static implicit operator AttributeValue(int value) => Int(value);

    public static implicit operator AttributeValue(long value) => Int(value);

    public static implicit operator AttributeValue(bool value) => Int(value ? 1 : 0);

    public static implicit operator AttributeValue(string value) => String(value);

    public static implicit operator AttributeValue(float[] values) => Floats(values);

    public static implicit operator AttributeValue(long[] values) => Ints(values);

    public static implicit operator AttributeValue(int[] values) => Ints(values.Select(v => (long)v));

    public static implicit operator AttributeValue(string[] values) => Strings(values);

    public static implicit operator AttributeValue(TensorProto value) => Tensor(value);

    /// <summary>The attribute as ONNX stores it, under the given name.</summary>
    public AttributeProto ToProto(string name)
    {
        var attribute = new AttributeProto { Name = name, Type = Type };
        switch (Type)
        {
            case AttributeProto.Types.AttributeType.Float: attribute.F = _float; break;
            case AttributeProto.Types.AttributeType.Int: attribute.I = _int; break;
            case AttributeProto.Types.AttributeType.String: attribute.S = ByteString.CopyFromUtf8(_string!); break;
            case AttributeProto.Types.AttributeType.Floats: attribute.Floats.AddRange(_floats!); break;
            case AttributeProto.Types.AttributeType.Ints: attribute.Ints.AddRange(_ints!); break;
            case AttributeProto.Types.AttributeType.Strings: attribute.Strings.AddRange(_strings!.Select(ByteString.CopyFromUtf8)); break;
            case AttributeProto.Types.AttributeType.Tensor: attribute.T = _tensor!.Clone(); break;
            default: throw new InvalidOperationException($"Attribute type {Type} is not supported.");
        }
        return attribute;
    }
}
