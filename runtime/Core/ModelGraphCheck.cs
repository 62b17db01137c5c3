// Checks that an encoder.onnx / decoder.onnx pair follows the VaeOnnx model contract and fits together:
//   encoder: input  `image` float [N, C, H, W]  ->  outputs `mu`, `logvar` float [N, L]
//   decoder: input  `z`     float [N, L]        ->  output  `image` float [N, C, H, W], optionally `logits` (same shape)
// with a symbolic batch dimension N, and metadata_props (VaeContract.RequiredKeys) equal in both graphs and equal to
// every static dimension. Errors name the file and say what was expected and what was found.
// The shapes checked are the ones a graph declares, and ONNX Runtime loads graphs with strict shape inference
// (SessionFactory): a file whose declared shape contradicts what its nodes compute (a decoder declaring [N, 1, 28, 27]
// for an image its graph makes 28 × 28) is refused at load, worded here (DescribeInferenceConflict). Under ONNX
// Runtime's default, lenient, inference the contradicting dimension became unknown and this check let it through.
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core.Inference;
using static VaeOnnx.Runtime.Core.VaeContract;

namespace VaeOnnx.Runtime.Core;

internal static partial class ModelGraphCheck
{
    /// <summary>
    /// ONNX Runtime's strict-inference refusal ("Node:Sigmoid_2 Output:image [ShapeInferenceError] Can't merge shape info.
    /// ... Inferred=5 Declared=6 Dimension=3") as a line naming the file, the tensor and both sizes; null for other failures.
    /// </summary>
    public static string? DescribeInferenceConflict(string modelPath, string ortMessage)
    {
        if (!ortMessage.Contains("[ShapeInferenceError]", StringComparison.Ordinal) && !ortMessage.Contains("[TypeInferenceError]", StringComparison.Ordinal))
        {
            return null;
        }
        var tensor = TensorName().Match(ortMessage);
        string what = tensor.Success ? $"'{tensor.Groups["name"].Value}'" : "a tensor";
        var sizes = Dimensions().Match(ortMessage);
        string detail = sizes.Success
            ? $"declares dimension {sizes.Groups["dim"].Value} (counting from 0) of {what} as {sizes.Groups["declared"].Value}, but its graph computes {sizes.Groups["inferred"].Value}"
            : $"declares a shape or type for {what} that its graph does not compute ({InferenceException.Clean(ortMessage)})";
        return $"{modelPath} {detail}; the file contradicts itself (a broken export or a hand-edited graph): export the model again.";
    }

    [GeneratedRegex(@"Output:(?<name>\S+)")]
    private static partial Regex TensorName();

    [GeneratedRegex(@"Inferred=(?<inferred>-?\d+) Declared=(?<declared>-?\d+) Dimension=(?<dim>\d+)")]
    private static partial Regex Dimensions();

    public static VaeMetadata Check(OnnxGraph encoder, OnnxGraph decoder)
    {
        var metadata = VaeMetadata.Parse(decoder.CustomMetadata, decoder.ModelPath);
        VaeMetadata.Parse(encoder.CustomMetadata, encoder.ModelPath);
        foreach (var key in RequiredKeys)
        {
            if (!string.Equals(decoder.CustomMetadata[key].Trim(), encoder.CustomMetadata[key].Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidModelException(encoder.ModelPath,
                    $"{encoder.ModelPath} and {decoder.ModelPath} disagree on {key} ('{encoder.CustomMetadata[key]}' vs '{decoder.CustomMetadata[key]}'); " +
                    "they must come from the same trained model.");
            }
        }

        long c = metadata.Channels, h = metadata.Height, w = metadata.Width, l = metadata.LatentSize;
        var encoderInput = SingleInput(encoder, ImageTensor, [-1, c, h, w]);
        ExpectShape(encoder, "input", encoderInput, [-1, c, h, w]);
        ExpectShape(encoder, "output", RequireOutput(encoder, MuTensor, [-1, l]), [-1, l]);
        ExpectShape(encoder, "output", RequireOutput(encoder, LogVarTensor, [-1, l]), [-1, l]);

        var decoderInput = SingleInput(decoder, LatentTensor, [-1, l]);
        ExpectShape(decoder, "input", decoderInput, [-1, l]);
        ExpectShape(decoder, "output", RequireOutput(decoder, ImageTensor, [-1, c, h, w]), [-1, c, h, w]);
        var logits = decoder.Outputs.FirstOrDefault(o => o.Name == LogitsTensor);
        if (logits != null)
        {
            ExpectShape(decoder, "output", logits, [-1, c, h, w]);
        }

        var properties = new Dictionary<string, string>(decoder.CustomMetadata, StringComparer.Ordinal);
        foreach (var (key, value) in encoder.CustomMetadata)
        {
            properties.TryAdd(key, value);
        }
        return new VaeMetadata(metadata.Channels, metadata.Height, metadata.Width, metadata.LatentSize, metadata.Likelihood, properties);
    }

    private static TensorInfo SingleInput(OnnxGraph session, string name, long[] expected)
    {
        if (session.Inputs.Count != 1 || session.Inputs[0].Name != name)
        {
            throw new InvalidModelException(session.ModelPath,
                $"{session.ModelPath} must have exactly one input '{name}' float {TensorInfo.FormatShape(expected)}; " +
                $"found {Describe(session.Inputs)}.");
        }
        return session.Inputs[0];
    }

    private static TensorInfo RequireOutput(OnnxGraph session, string name, long[] expected) =>
        session.Outputs.FirstOrDefault(o => o.Name == name)
        ?? throw new InvalidModelException(session.ModelPath,
            $"{session.ModelPath} must have an output '{name}' float {TensorInfo.FormatShape(expected)}; found outputs {Describe(session.Outputs)}.");

    private static void ExpectShape(OnnxGraph session, string role, TensorInfo found, long[] expected)
    {
        bool fits = found.IsFloat
            && found.Shape.Count == expected.Length
            && found.Shape[0] < 0
            && Enumerable.Range(1, expected.Length - 1).All(i => found.Shape[i] < 0 || found.Shape[i] == expected[i]);
        if (!fits)
        {
            throw new InvalidModelException(session.ModelPath,
                $"{session.ModelPath}: {role} '{found.Name}' should be float {TensorInfo.FormatShape(expected)} (N symbolic, sizes from the metadata); " +
                $"found {(found.IsFloat ? "float" : "a non-float type")} {TensorInfo.FormatShape(found.Shape)}.");
        }
    }

    private static string Describe(IReadOnlyList<TensorInfo> tensors) =>
        tensors.Count == 0 ? "none" : string.Join(", ", tensors.Select(t => $"'{t}'"));
}
