// The metadata_props both graphs carry (the contract with the runtime, see trainer/README.md "Export contract"):
// image shape, latent size, likelihood, the encoder's input range and architecture, plus where the model came from.
// The keys and wire values of the contract are VaeContract's (runtime/Core); only the trainer's own keys are here.
using System.Globalization;
using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Trainer.Export;

public sealed record ExportMetadata
{
    public const string Prefix = VaeContract.MetadataPrefix;

    public required string Architecture { get; init; }

    public required string Dataset { get; init; }

    public required int Epochs { get; init; }

    /// <summary>Test-set negative ELBO in nats per image, when measured.</summary>
    public double? TestLoss { get; init; }

    /// <summary>The fixed standard deviation of the Gaussian likelihood (null for Bernoulli).</summary>
    public double? GaussianSigma { get; init; }

    public static string ProducerVersion { get; } = typeof(ExportMetadata).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public IEnumerable<KeyValuePair<string, string>> ToProperties(VaeGraphSource source)
    {
        string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        yield return new(VaeContract.ChannelsKey, source.Channels.ToString(CultureInfo.InvariantCulture));
        yield return new(VaeContract.HeightKey, source.Height.ToString(CultureInfo.InvariantCulture));
        yield return new(VaeContract.WidthKey, source.Width.ToString(CultureInfo.InvariantCulture));
        yield return new(VaeContract.LatentSizeKey, source.LatentSize.ToString(CultureInfo.InvariantCulture));
        yield return new(VaeContract.LikelihoodKey, VaeContract.LikelihoodText(source.Likelihood));
        yield return new(VaeContract.InputRangeKey, VaeContract.InputRangeText);
        yield return new(Prefix + "architecture", Architecture);
        yield return new(Prefix + "dataset", Dataset);
        yield return new(Prefix + "epochs", Epochs.ToString(CultureInfo.InvariantCulture));
        if (TestLoss is double loss)
        {
            yield return new(Prefix + "test_loss", F(loss));
        }
        yield return new(Prefix + "producer_version", ProducerVersion);
        if (source.Likelihood == Likelihood.Gaussian)
        {
            yield return new(VaeContract.GaussianSigmaKey, F(GaussianSigma ?? throw new InvalidOperationException("A Gaussian model needs its sigma in the metadata.")));
        }
    }
}
