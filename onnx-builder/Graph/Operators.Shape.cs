// Typed helpers for operators that move data without arithmetic: Reshape, Flatten, Transpose, Concat, Cast.
// See https://onnx.ai/onnx/operators/. Reshape can take its target shape as an existing int64 value or as numbers,
// in which case an int64 initializer named "<node>_shape" is added for it.
namespace VaeOnnx.OnnxBuilder;

public sealed partial class GraphBuilder
{
    /// <summary>Reshape to the shape held by the int64 value <paramref name="shape"/> (-1 infers one dim, 0 copies it).</summary>
    public string Reshape(string data, string shape, string? output = null) =>
        Node("Reshape", WithOptional(data, shape, null), output: output);

    /// <summary>Reshape to a constant shape such as <c>[-1, 32, 7, 7]</c>, stored as an int64 initializer.</summary>
    public string Reshape(string data, ReadOnlySpan<long> shape, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        string shapeName = NewValueName($"Reshape_{_graph.Node.Count}_shape");
        Int64Initializer(shapeName, shape, shape.Length);
        return Reshape(data, shapeName, output);
    }

    /// <summary>Flatten to 2-D: dims before <paramref name="axis"/> become rows (ONNX's default axis is 1).</summary>
    public string Flatten(string x, long? axis = null, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        if (axis is long a)
            attributes["axis"] = a;
        return Node("Flatten", [x], attributes, output);
    }

    /// <summary>Transpose by <paramref name="perm"/>; null reverses the dims.</summary>
    public string Transpose(string x, long[]? perm = null, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        AddIfGiven(attributes, "perm", perm);
        return Node("Transpose", [x], attributes, output);
    }

    /// <summary>Concat along <paramref name="axis"/> (required by ONNX).</summary>
    public string Concat(IReadOnlyList<string> inputs, long axis, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Node("Concat", inputs, new Dictionary<string, AttributeValue> { ["axis"] = axis }, output);
    }

    /// <summary>Cast to element type <paramref name="to"/> (required by ONNX).</summary>
    public string Cast(string x, ElementType to, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Node("Cast", [x], new Dictionary<string, AttributeValue> { ["to"] = (long)to }, output);
    }
}
