// The VaeOnnx model contract, in one place: the file names of a model folder, the tensor names of the two graphs,
// the metadata_props keys and the wire values of the likelihood, and the encoder's input range. The trainer's
// exporter writes models with these names and the runtime reads them with the same ones; nothing else spells them.
//   encoder.onnx: input `image` float [N, C, H, W] in [InputMin, InputMax] -> outputs `mu`, `logvar` float [N, L]
//   decoder.onnx: input `z` float [N, L] -> output `image` float [N, C, H, W], optionally `logits` (same shape)
// The checks that a pair of graphs follows it are in ModelGraphCheck; what the metadata says is VaeMetadata.
using System.Globalization;

namespace VaeOnnx.Runtime.Core;

/// <summary>The VaeOnnx model contract in one place: a model folder's file names, the tensor names of its two graphs, the metadata keys and likelihood values, the encoder's input range. The trainer writes models with these names and the runtime reads them with the same.</summary>
public static class VaeContract
{
    /// <summary>The encoder graph's file: image → mu, logvar.</summary>
    public const string EncoderFileName = "encoder.onnx";
    /// <summary>The decoder graph's file: z → image (and optionally logits).</summary>
    public const string DecoderFileName = "decoder.onnx";

    /// <summary>Score calibration written by `calibrate`, beside the graphs.</summary>
    public const string CalibrationFileName = "calibration.json";

    /// <summary>The encoder's input and the decoder's output: float [N, C, H, W] in [0, 1].</summary>
    public const string ImageTensor = "image";
    /// <summary>The encoder's posterior means: float [N, L].</summary>
    public const string MuTensor = "mu";
    /// <summary>The encoder's posterior log-variances: float [N, L].</summary>
    public const string LogVarTensor = "logvar";
    /// <summary>The decoder's input: float [N, L].</summary>
    public const string LatentTensor = "z";
    /// <summary>The decoder's optional pre-sigmoid output of a Bernoulli model: float [N, C, H, W].</summary>
    public const string LogitsTensor = "logits";

    /// <summary>Every VaeOnnx metadata key starts with this.</summary>
    public const string MetadataPrefix = "vaeonnx.";
    /// <summary>Metadata key: image channels (1 grey, 3 RGB).</summary>
    public const string ChannelsKey = MetadataPrefix + "channels";
    /// <summary>Metadata key: image height in pixels.</summary>
    public const string HeightKey = MetadataPrefix + "height";
    /// <summary>Metadata key: image width in pixels.</summary>
    public const string WidthKey = MetadataPrefix + "width";
    /// <summary>Metadata key: latent dimensions L.</summary>
    public const string LatentSizeKey = MetadataPrefix + "latent_size";
    /// <summary>Metadata key: "bernoulli" or "gaussian" (<see cref="LikelihoodText"/>).</summary>
    public const string LikelihoodKey = MetadataPrefix + "likelihood";
    /// <summary>Metadata key: the fixed standard deviation of a Gaussian model's pixels.</summary>
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
