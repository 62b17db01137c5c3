// What a graph declares for one input or output: name, whether it is a float tensor, and its shape (-1 for a
// symbolic dimension). Read from ONNX Runtime's NodeMetadata once when a graph loads; used by the contract check.
namespace VaeOnnx.Runtime.Core.Inference;

public sealed record TensorInfo(string Name, bool IsFloat, IReadOnlyList<long> Shape)
{
    /// <summary>"[N, 1, 28, 28]" style, with "N" for symbolic dimensions.</summary>
    public static string FormatShape(IReadOnlyList<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d < 0 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    public override string ToString() => $"{Name}: {(IsFloat ? "float" : "non-float")} {FormatShape(Shape)}";
}
