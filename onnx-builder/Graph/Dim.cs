// One dimension of a graph input's or output's shape: a fixed size, a symbolic name such as "N" (the batch), or
// unknown. Converts implicitly from int, long and string so shapes read as `"N", 1, 28, 28`. It does not check
// that dimensions agree across the graph; onnx.checker's shape inference does that.
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public readonly record struct Dim
{
    private Dim(long? value, string? param)
    {
        Value = value;
        Param = param;
    }

    /// <summary>The fixed size, or null when the dimension is symbolic or unknown.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null when the dimension is fixed or unknown.</summary>
    public string? Param { get; }

    /// <summary>A dimension with neither a size nor a name.</summary>
    public static Dim Unknown => default;

    public static Dim Fixed(long value)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"A fixed dimension must be 0 or more, got {value}; use a symbolic name such as \"N\" for a size known only at run time.");
        return new Dim(value, null);
    }

    public static Dim Symbolic(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"A symbolic dimension needs a non-empty name such as \"N\", got '{name}'.", nameof(name));
        return new Dim(null, name);
    }

    public static implicit operator Dim(int value) => Fixed(value);

    public static implicit operator Dim(long value) => Fixed(value);

    public static implicit operator Dim(string name) => Symbolic(name);

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";

    internal TensorShapeProto.Types.Dimension ToProto()
    {
        var dimension = new TensorShapeProto.Types.Dimension();
        if (Value is long value)
            dimension.DimValue = value;
        else if (Param is string param)
            dimension.DimParam = param;
        return dimension;
    }
}
