// Typed helpers for Conv and ConvTranspose (https://onnx.ai/onnx/operators/onnx__Conv.html, onnx__ConvTranspose.html).
// Attributes are written only when given, so ONNX's defaults apply otherwise; the one exception is kernel_shape,
// which is filled in from the weight initializer's dims when the weights are an initializer (as PyTorch does).
// Deliberately no auto_pad: give explicit pads.
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public sealed partial class GraphBuilder
{
    /// <summary>
    /// Conv: x (N, C_in, H, W), weight (C_out, C_in/group, kH, kW), optional bias (C_out).
    /// <paramref name="pads"/> is [top, left, bottom, right] for 2-D.
    /// </summary>
    public string Conv(string x, string weight, string? bias = null, long[]? kernelShape = null, long[]? strides = null,
        long[]? pads = null, long[]? dilations = null, long? group = null, string? output = null)
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        AddIfGiven(attributes, "kernel_shape", kernelShape ?? KernelShapeFromWeight(weight));
        AddIfGiven(attributes, "strides", strides);
        AddIfGiven(attributes, "pads", pads);
        AddIfGiven(attributes, "dilations", dilations);
        if (group is long g)
            attributes["group"] = g;
        return Node("Conv", WithOptional(x, weight, bias), attributes, output);
    }

    /// <summary>
    /// ConvTranspose: x (N, C_in, H, W), weight (C_in, C_out/group, kH, kW), optional bias (C_out).
    /// Output size per axis: stride * (in - 1) + output_padding + ((kernel - 1) * dilation + 1) - pad_begin - pad_end.
    /// </summary>
    public string ConvTranspose(string x, string weight, string? bias = null, long[]? kernelShape = null, long[]? strides = null,
        long[]? pads = null, long[]? outputPadding = null, long[]? dilations = null, long? group = null,
        long[]? outputShape = null, string? output = null)
    {
        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        AddIfGiven(attributes, "kernel_shape", kernelShape ?? KernelShapeFromWeight(weight));
        AddIfGiven(attributes, "strides", strides);
        AddIfGiven(attributes, "pads", pads);
        AddIfGiven(attributes, "output_padding", outputPadding);
        AddIfGiven(attributes, "dilations", dilations);
        AddIfGiven(attributes, "output_shape", outputShape);
        if (group is long g)
            attributes["group"] = g;
        return Node("ConvTranspose", WithOptional(x, weight, bias), attributes, output);
    }

    private long[]? KernelShapeFromWeight(string weight)
    {
        TensorProto? tensor = FindInitializer(weight);
        return tensor is not null && tensor.Dims.Count >= 3 ? [.. tensor.Dims.Skip(2)] : null;
    }

    private static void AddIfGiven(Dictionary<string, AttributeValue> attributes, string name, long[]? values)
    {
        if (values is not null)
            attributes[name] = values;
    }

    /// <summary>The inputs, leaving out a trailing optional one that is null.</summary>
    private static string[] WithOptional(string first, string second, string? optional)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return optional is null ? [first, second] : [first, second, optional];
    }
}
