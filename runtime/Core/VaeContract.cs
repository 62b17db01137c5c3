// The VaeOnnx model contract, in one place: the file names of a model folder (graphs, calibration, latent points,
// examples), the tensor names of the two graphs, the metadata_props keys and the wire values of the likelihood, and the
// encoder's input range. The trainer's
// exporter writes models with these names and the runtime reads them with the same ones; nothing else spells them.
//   encoder.onnx: input `image` float [N, C, H, W] in [InputMin, InputMax] -> outputs `mu`, `logvar` float [N, L]
//   decoder.onnx: input `z` float [N, L] -> output `image` float [N, C, H, W], optionally `logits` (same shape)
// The checks that a pair of graphs follows it are in ModelGraphCheck; what the metadata says is VaeMetadata.
// The latent size is bounded here once (MaxLatentSize), for the models the trainer builds and the ones the runtime loads.
//
// JSON spelling, one policy per audience:
//   files (a model or run folder's calibration.json, latent-points.json, config.json, metrics.json,
//   anomaly-report.json, and the training state inside checkpoint.bin): snake_case names (FileJsonNaming), enum values
//   as kebab-case words (FileJsonEnumNaming);
//   HTTP (request bodies and answers, and the runtime CLI's --format json, which prints the same objects): camelCase
//   names (HttpJsonNaming).
using System.Globalization;
using System.Text.Json;

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

    /// <summary>
    /// The posterior means of a sample of test images with their labels, written by the trainer's export beside the
    /// graphs and read by <see cref="LatentMap.LatentPoints"/> (the service plots them on the page's latent map). Optional.
    /// </summary>
    public const string LatentPointsFileName = "latent-points.json";

    /// <summary>
    /// A folder of example images (PNG) beside the graphs, written by the trainer's export (one test image per label)
    /// and offered by the service's page to click; any PNG of the model's size dropped in there is offered too. Optional.
    /// </summary>
    public const string ExamplesFolderName = "examples";

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

    /// <summary>Where the model came from (informative, not required): the trainer's architecture name ("conv", "mlp").</summary>
    public const string ArchitectureKey = MetadataPrefix + "architecture";

    /// <summary>The training dataset's name (informative).</summary>
    public const string DatasetKey = MetadataPrefix + "dataset";

    /// <summary>Epochs of training (informative).</summary>
    public const string EpochsKey = MetadataPrefix + "epochs";

    /// <summary>Test-set negative ELBO in nats per image after the last epoch (informative).</summary>
    public const string TestLossKey = MetadataPrefix + "test_loss";

    /// <summary>The version of the trainer that exported the graphs (informative).</summary>
    public const string ProducerVersionKey = MetadataPrefix + "producer_version";

    /// <summary>The encoder's pixel range, written as "0,1".</summary>
    public const string InputRangeKey = MetadataPrefix + "input_range";

    /// <summary>Smallest pixel value the encoder takes (black).</summary>
    public const float InputMin = 0f;

    /// <summary>Largest pixel value the encoder takes (white, opaque).</summary>
    public const float InputMax = 1f;

    /// <summary>The value of <see cref="InputRangeKey"/>.</summary>
    public static string InputRangeText { get; } =
        string.Create(CultureInfo.InvariantCulture, $"{InputMin},{InputMax}");

    /// <summary>Largest latent size a model may have: the trainer builds no larger one and the runtime loads no larger one.</summary>
    public const int MaxLatentSize = 4096;

    /// <summary>Property names in the JSON files of a model or run folder: snake_case ("latent_size", "score_kind").</summary>
    public static JsonNamingPolicy FileJsonNaming => JsonNamingPolicy.SnakeCaseLower;

    /// <summary>Enum values in those files: kebab-case words ("conv", "bernoulli", "none").</summary>
    public static JsonNamingPolicy FileJsonEnumNaming => JsonNamingPolicy.KebabCaseLower;

    /// <summary>Property names on the wire (HTTP bodies and answers, the CLI's --format json): camelCase ("scoreKind").</summary>
    public static JsonNamingPolicy HttpJsonNaming => JsonNamingPolicy.CamelCase;

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
