// Typed helpers for Gemm and MatMul (https://onnx.ai/onnx/operators/onnx__Gemm.html, onnx__MatMul.html).
// Attributes are written only when given; ONNX's defaults (alpha 1, beta 1, no transposes) apply otherwise.
namespace VaeOnnx.OnnxBuilder;

public sealed partial class GraphBuilder
{
    /// <summary>
    /// Gemm: Y = alpha * A' * B' + beta * C, with A' = transpose(A) if transA and B' = transpose(B) if transB.
    /// A PyTorch Linear with weight (out, in) is <c>Gemm(x, weight, bias, transB: true)</c>.
    /// </summary>
    public string Gemm(string a, string b, string? c = null, float? alpha = null, float? beta = null,
        bool? transA = null, bool? transB = null, string? output = null)
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        if (alpha is float al)
            attributes["alpha"] = al;
        if (beta is float be)
            attributes["beta"] = be;
        if (transA is bool ta)
            attributes["transA"] = ta;
        if (transB is bool tb)
            attributes["transB"] = tb;
        return Node("Gemm", WithOptional(a, b, c), attributes, output);
    }

    /// <summary>MatMul with numpy broadcasting semantics.</summary>
    public string MatMul(string a, string b, string? output = null) => Node("MatMul", WithOptional(a, b, null), output: output);
}
