// The VaeOnnx model contract, in one place: the file names of a model folder, the tensor names of the two graphs,
// the metadata_props keys and the wire values of the likelihood, and the encoder's input range. The trainer's
// exporter writes models with these names and the runtime reads them with the same ones; nothing else spells them.
//   encoder.onnx: input `image` float [N, C, H, W] in [InputMin, InputMax] -> outputs `mu`, `logvar` float [N, L]
//   decoder.onnx: input `z` float [N, L] -> output `image` float [N, C, H, W], optionally `logits` (same shape)
// The checks that a pair of graphs follows it are in ModelGraphCheck; what the metadata says is VaeMetadata.
using System.Globalization;

namespace VaeOnnx.Runtime.Core;

public static class VaeContract
{
    public const string EncoderFileName = "encoder.onnx";
    public const string DecoderFileName = "decoder.onnx";

    /// <summary>Score calibration written by `calibrate`, beside the graphs.</summary>
    public const string CalibrationFileName = "calibration.json";

    public const string ImageTensor = "image";
    public const string MuTensor = "mu";
    public const string LogVarTensor = "logvar";
    public const string LatentTensor = "z";
    public const string LogitsTensor = "logits";

    /// <summary>Every VaeOnnx metadata key starts with this.</summary>
    public const string MetadataPrefix = "vaeonnx.";
    public const string ChannelsKey = MetadataPrefix + "channels";
    public const string HeightKey = MetadataPrefix + "height";
    public const string WidthKey = MetadataPrefix + "width";
    public const string LatentSizeKey = MetadataPrefix + "latent_size";
    public const string LikelihoodKey = MetadataPrefix + "likelihood";
    public const string GaussianSigmaKey = MetadataPrefix + "gaussian_sigma";

    /// <summary>The encoder's pixel range, written as "0,1".</summary>
    public const string InputRangeKey = MetadataPrefix + "input_range";

    /// <summary>Smallest pixel value the encoder takes (black).</summary>
    public const float InputMin = 0f;

    /// <summary>Largest pixel value the encoder takes (white, opaque).</summary>
    public const float InputMax = 1f;

    /// <summary>The value of <see cref="InputRangeKey"/>.</summary>
    public static string InputRangeText { get; } =
        string.Create(CultureInfo.InvariantCulture, $"{InputMin},{InputMax}");

    /// <summary>The keys every model must carry, in both graphs, with equal values.</summary>
    public static IReadOnlyList<string> RequiredKeys { get; } = [ChannelsKey, HeightKey, WidthKey, LatentSizeKey, LikelihoodKey];

    /// <summary>The metadata value for <paramref name="likelihood"/>: "bernoulli" or "gaussian".</summary>
    public static string LikelihoodText(Likelihood likelihood) => likelihood switch
    {
        Likelihood.Bernoulli => "bernoulli",
        Likelihood.Gaussian => "gaussian",
        _ => throw new ArgumentOutOfRangeException(nameof(likelihood), likelihood, "Use Likelihood.Bernoulli or Likelihood.Gaussian."),
    };

    /// <summary>Reads a metadata likelihood value (case and surrounding space ignored); false when unknown.</summary>
    public static bool TryParseLikelihood(string text, out Likelihood likelihood)
    {
        foreach (var candidate in Enum.GetValues<Likelihood>())
        {
            if (string.Equals(text.Trim(), LikelihoodText(candidate), StringComparison.OrdinalIgnoreCase))
            {
                likelihood = candidate;
                return true;
            }
        }
        likelihood = default;
        return false;
    }
}
