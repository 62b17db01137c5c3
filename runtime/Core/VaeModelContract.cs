// Checks that an encoder.onnx / decoder.onnx pair follows the VaeOnnx model contract and fits together:
//   encoder: input  `image` float [N, C, H, W]  ->  outputs `mu`, `logvar` float [N, L]
//   decoder: input  `z`     float [N, L]        ->  output  `image` float [N, C, H, W], optionally `logits` (same shape)
// with a symbolic batch dimension N, and metadata_props (VaeMetadata.RequiredKeys) equal in both graphs and equal to
// every static dimension. Errors name the file and say what was expected and what was found.
namespace VaeOnnx.Runtime;

internal static class VaeModelContract
{
    public const string ImageName = "image";
    public const string MuName = "mu";
    public const string LogVarName = "logvar";
    public const string LatentName = "z";
    public const string LogitsName = "logits";

    public static VaeMetadata Check(InferenceSession encoder, InferenceSession decoder)
    {
        var metadata = VaeMetadata.Parse(decoder.CustomMetadata, decoder.ModelPath);
        VaeMetadata.Parse(encoder.CustomMetadata, encoder.ModelPath);
        foreach (var key in VaeMetadata.RequiredKeys)
        {
            if (!string.Equals(decoder.CustomMetadata[key].Trim(), encoder.CustomMetadata[key].Trim(), StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidModelException(encoder.ModelPath,
                    $"{encoder.ModelPath} and {decoder.ModelPath} disagree on {key} ('{encoder.CustomMetadata[key]}' vs '{decoder.CustomMetadata[key]}'); " +
                    "they must come from the same trained model.");
            }
        }

        long c = metadata.Channels, h = metadata.Height, w = metadata.Width, l = metadata.LatentSize;
        var encoderInput = SingleInput(encoder, ImageName, [-1, c, h, w]);
        ExpectShape(encoder, "input", encoderInput, [-1, c, h, w]);
        ExpectShape(encoder, "output", RequireOutput(encoder, MuName, [-1, l]), [-1, l]);
        ExpectShape(encoder, "output", RequireOutput(encoder, LogVarName, [-1, l]), [-1, l]);

        var decoderInput = SingleInput(decoder, LatentName, [-1, l]);
        ExpectShape(decoder, "input", decoderInput, [-1, l]);
        ExpectShape(decoder, "output", RequireOutput(decoder, ImageName, [-1, c, h, w]), [-1, c, h, w]);
        var logits = decoder.Outputs.FirstOrDefault(o => o.Name == LogitsName);
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

    private static TensorInfo SingleInput(InferenceSession session, string name, long[] expected)
    {
        if (session.Inputs.Count != 1 || session.Inputs[0].Name != name)
        {
            throw new InvalidModelException(session.ModelPath,
                $"{session.ModelPath} must have exactly one input '{name}' float {TensorInfo.FormatShape(expected)}; " +
                $"found {Describe(session.Inputs)}.");
        }
        return session.Inputs[0];
    }

    private static TensorInfo RequireOutput(InferenceSession session, string name, long[] expected) =>
        session.Outputs.FirstOrDefault(o => o.Name == name)
        ?? throw new InvalidModelException(session.ModelPath,
            $"{session.ModelPath} must have an output '{name}' float {TensorInfo.FormatShape(expected)}; found outputs {Describe(session.Outputs)}.");

    private static void ExpectShape(InferenceSession session, string role, TensorInfo found, long[] expected)
    {
        bool fits = found.ElementType == TensorElementType.Float
            && found.Shape.Count == expected.Length
            && found.Shape[0] < 0
            && Enumerable.Range(1, expected.Length - 1).All(i => found.Shape[i] < 0 || found.Shape[i] == expected[i]);
        if (!fits)
        {
            throw new InvalidModelException(session.ModelPath,
                $"{session.ModelPath}: {role} '{found.Name}' should be float {TensorInfo.FormatShape(expected)} (N symbolic, sizes from the metadata); " +
                $"found {found.ElementType.ToString().ToLowerInvariant()} {TensorInfo.FormatShape(found.Shape)}.");
        }
    }

    private static string Describe(IReadOnlyList<TensorInfo> tensors) =>
        tensors.Count == 0 ? "none" : string.Join(", ", tensors.Select(t => $"'{t}'"));
}
