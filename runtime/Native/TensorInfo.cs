// What a graph declares for one of its inputs or outputs: name, element type and shape, symbolic dimensions as -1.
// Only tensors are described; a non-tensor value (sequence, map) shows as Undefined with an empty shape.
namespace VaeOnnx.Runtime;

public sealed record TensorInfo(string Name, TensorElementType ElementType, IReadOnlyList<long> Shape)
{
    /// <summary>Value of a dimension the graph leaves open (a symbolic name such as N, or none at all).</summary>
    public const long SymbolicDimension = -1;

    public override string ToString() => $"{Name}: {ElementType.ToString().ToLowerInvariant()} {FormatShape(Shape)}";

    /// <summary>Formats a shape as [N, 16]-style text, with N for symbolic dimensions.</summary>
    public static string FormatShape(IEnumerable<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d < 0 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
