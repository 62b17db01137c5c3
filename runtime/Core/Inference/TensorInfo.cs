// What a graph declares for one input or output: name, whether it is a float tensor, and its shape (-1 for a
// symbolic dimension). Read from ONNX Runtime's NodeMetadata once when a graph loads; used by the contract check.
namespace VaeOnnx.Runtime.Core.Inference;

/// <summary>What a graph declares for one input or output.</summary>
/// <param name="Name">The input's or output's name, e.g. "z".</param>
/// <param name="IsFloat">Whether it is a float32 tensor.</param>
/// <param name="Shape">Its dimensions, -1 for a symbolic one (the batch).</param>
public sealed record TensorInfo(string Name, bool IsFloat, IReadOnlyList<long> Shape)
{
    /// <summary>"[N, 1, 28, 28]" style, with "N" for symbolic dimensions.</summary>
    public static string FormatShape(IReadOnlyList<long> shape) =>
        "[" + string.Join(", ", shape.Select(d => d < 0 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    /// <summary>"z: float [N, 16]".</summary>
    public override string ToString() => $"{Name}: {(IsFloat ? "float" : "non-float")} {FormatShape(Shape)}";
}
