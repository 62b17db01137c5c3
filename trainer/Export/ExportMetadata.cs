// The metadata_props both graphs carry (the contract with the runtime, see trainer/README.md "Export contract"):
// image shape, latent size, likelihood, the encoder's input range and architecture, plus where the model came from.
// Every key and wire value is VaeContract's (runtime/Core), so the runtime reads what the trainer writes by one spelling.
using System.Globalization;
using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Trainer.Export;

public sealed record ExportMetadata
{
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
        yield return new(VaeContract.ArchitectureKey, Architecture);
        yield return new(VaeContract.DatasetKey, Dataset);
        yield return new(VaeContract.EpochsKey, Epochs.ToString(CultureInfo.InvariantCulture));
        if (TestLoss is double loss)
        {
            yield return new(VaeContract.TestLossKey, F(loss));
        }
        yield return new(VaeContract.ProducerVersionKey, ProducerVersion);
        if (source.Likelihood == Likelihood.Gaussian)
        {
            yield return new(VaeContract.GaussianSigmaKey, F(GaussianSigma ?? throw new InvalidOperationException("A Gaussian model needs its sigma in the metadata.")));
        }
    }
}
