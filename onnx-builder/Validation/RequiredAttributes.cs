// Which attributes ONNX operators (default domain, opset 17) require, for the operators VaeOnnx knows; taken from
// https://onnx.ai/onnx/operators/. An operator listed with none requires none. Operators not listed are not checked
// unless a graph declares their required attributes itself (GraphBuilder.RequireAttributes).
namespace VaeOnnx.OnnxBuilder;

public static class RequiredAttributes
{
    private static readonly Dictionary<string, string[]> s_known = new(StringComparer.Ordinal)
    {
        ["AveragePool"] = ["kernel_shape"],
        ["Cast"] = ["to"],
        ["Concat"] = ["axis"],
        ["DepthToSpace"] = ["blocksize"],
        ["MaxPool"] = ["kernel_shape"],
        ["SpaceToDepth"] = ["blocksize"],
        ["Add"] = [],
        ["BatchNormalization"] = [],
        ["Conv"] = [],
        ["ConvTranspose"] = [],
        ["Div"] = [],
        ["Exp"] = [],
        ["Flatten"] = [],
        ["Gemm"] = [],
        ["Identity"] = [],
        ["LeakyRelu"] = [],
        ["Log"] = [],
        ["MatMul"] = [],
        ["Mul"] = [],
        ["Relu"] = [],
        ["Reshape"] = [],
        ["Sigmoid"] = [],
        ["Softmax"] = [],
        ["Sub"] = [],
        ["Tanh"] = [],
        ["Transpose"] = [],
    };

    /// <summary>Operator type to its required attribute names, for the default ONNX domain.</summary>
    public static IReadOnlyDictionary<string, string[]> Known => s_known;

    /// <summary>The attributes <paramref name="opType"/> requires: known ones plus any declared; empty when unknown.</summary>
    public static IEnumerable<string> For(string opType, string domain, IReadOnlyDictionary<string, IReadOnlySet<string>>? declared)
    {
        IEnumerable<string> required = [];
        if (IsDefaultDomain(domain) && s_known.TryGetValue(opType, out string[]? known))
            required = known;
        if (declared is not null && declared.TryGetValue(opType, out IReadOnlySet<string>? extra))
            required = required.Union(extra, StringComparer.Ordinal);
        return required;
    }

    internal static bool IsDefaultDomain(string domain) => domain.Length == 0 || domain == "ai.onnx";
}
