// Typed helpers for element-wise operators: binary arithmetic with numpy broadcasting (Add, Sub, Mul, Div) and
// activations (Exp, Log, Relu, LeakyRelu, Sigmoid, Tanh, Identity). See https://onnx.ai/onnx/operators/.
namespace VaeOnnx.OnnxBuilder;

public sealed partial class GraphBuilder
{
    public string Add(string a, string b, string? output = null) => Node("Add", WithOptional(a, b, null), output: output);

    public string Sub(string a, string b, string? output = null) => Node("Sub", WithOptional(a, b, null), output: output);

    public string Mul(string a, string b, string? output = null) => Node("Mul", WithOptional(a, b, null), output: output);

    public string Div(string a, string b, string? output = null) => Node("Div", WithOptional(a, b, null), output: output);

    public string Exp(string x, string? output = null) => Unary("Exp", x, output);

    public string Log(string x, string? output = null) => Unary("Log", x, output);

    public string Relu(string x, string? output = null) => Unary("Relu", x, output);

    public string Sigmoid(string x, string? output = null) => Unary("Sigmoid", x, output);

    public string Tanh(string x, string? output = null) => Unary("Tanh", x, output);

    public string Identity(string x, string? output = null) => Unary("Identity", x, output);

    /// <summary>LeakyRelu: x for x >= 0, alpha * x otherwise; ONNX's default alpha is 0.01.</summary>
    public string LeakyRelu(string x, float? alpha = null, string? output = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        if (alpha is float a)
            attributes["alpha"] = a;
        return Node("LeakyRelu", [x], attributes, output);
    }

    private string Unary(string opType, string x, string? output)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Node(opType, [x], output: output);
    }
}
