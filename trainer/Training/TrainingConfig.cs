// Everything that determines a training run, as given on the command line (with defaults filled in).
// Saved as config.json in the run folder and inside every checkpoint, so a run can be reproduced or resumed exactly:
// the same config and seed give the same weights bit for bit (for a given engine build and thread-count-independent
// kernels). Threads and the run folder are not part of what determines the result and are not stored.
// This type owns the defaults of a run (the property initialisers; Defaults holds them, and the latent size that
// depends on the network is DefaultLatentSize) and its bounds (the constants below and Validate). The options of
// `train`, `bench epoch` and `anomaly-demo` read them from here. A new setting is a property with its default, a
// line in Validate, and its option in the CLI's TrainOptions.
using System.Text.Json;
using System.Text.Json.Serialization;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Models;

using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Training;

public sealed record TrainingConfig
{
    /// <summary>Largest --hidden.</summary>
    public const int MaxHidden = 1 << 16;

    /// <summary>Largest --batch.</summary>
    public const int MaxBatchSize = 1 << 16;

    /// <summary>Largest --epochs.</summary>
    public const int MaxEpochs = 100_000;

    /// <summary>Smallest side of --image-size (a conv stage halves the image at least once).</summary>
    public const int MinImageSide = 2;

    /// <summary>Largest side of --image-size.</summary>
    public const int MaxImageSide = 4096;

    /// <summary>A run with every default: what `train` does when given no option.</summary>
    public static TrainingConfig Defaults { get; } = new();

    public VaeKind Architecture { get; init; } = VaeKind.Conv;

    /// <summary>Latent dimensions, 1 to VaeContract.MaxLatentSize; null: DefaultLatentSize of the architecture.</summary>
    public int? LatentSize { get; init; }

    /// <summary>Hidden units of the mlp VAE.</summary>
    public int Hidden { get; init; } = 400;

    public Likelihood Likelihood { get; init; } = Likelihood.Bernoulli;

    /// <summary>Fixed standard deviation of the Gaussian likelihood (pixels in [0, 1]).</summary>
    public double GaussianSigma { get; init; } = VaeArchitecture.DefaultGaussianSigma;

    /// <summary>Weight of the KL term once any warm-up is over (1 = the ELBO; beta-VAE otherwise).</summary>
    public double Beta { get; init; } = 1.0;

    /// <summary>Epochs over which the KL weight rises linearly from 0 to Beta (0 = no warm-up).</summary>
    public double KlWarmupEpochs { get; init; }

    public double LearningRate { get; init; } = 1e-3;

    public int BatchSize { get; init; } = 128;

    public int Epochs { get; init; } = 10;

    public ulong Seed { get; init; } = 1;

    /// <summary>Global gradient-norm limit (null: no clipping).</summary>
    public double? ClipGradNorm { get; init; }

    public DatasetRequest Data { get; init; } = new();

    /// <summary>
    /// Where the run trains (--device, resolved: cpu, cuda:N or ilgpu-cpu). Devices differ only in float rounding, so a
    /// checkpoint resumes on any device; a resumed run records the device it continued on.
    /// </summary>
    public string Device { get; init; } = DeviceRequest.CpuName;

    /// <summary>The latent size of a run that does not give one: 16 for conv, 2 for mlp (the classic 2-D latent space one can draw).</summary>
    public static int DefaultLatentSize(VaeKind architecture) => architecture == VaeKind.Mlp ? 2 : 16;

    [JsonIgnore]
    public int EffectiveLatentSize => LatentSize ?? DefaultLatentSize(Architecture);

    /// <summary>This config with every default that depends on another setting written out (the latent size), as config.json records it.</summary>
    public TrainingConfig Resolved() => this with { LatentSize = EffectiveLatentSize };

    /// <summary>Throws a TrainingConfigException naming the option and its value when a setting cannot work.</summary>
    public void Validate()
    {
        Require(Enum.IsDefined(Architecture), "--arch", Architecture, string.Join(" or ", VaeKindNames.All));
        Require(EffectiveLatentSize is >= 1 and <= VaeContract.MaxLatentSize, "--latent", EffectiveLatentSize, $"between 1 and {VaeContract.MaxLatentSize}");
        Require(Hidden is >= 1 and <= MaxHidden, "--hidden", Hidden, $"between 1 and {MaxHidden}");
        Require(double.IsFinite(GaussianSigma) && GaussianSigma > 0, "--sigma", GaussianSigma, "a positive number, e.g. 0.1");
        Require(double.IsFinite(Beta) && Beta >= 0, "--beta", Beta, "a finite number >= 0 (1 for the plain ELBO)");
        Require(double.IsFinite(KlWarmupEpochs) && KlWarmupEpochs >= 0, "--kl-warmup", KlWarmupEpochs, "a number of epochs >= 0");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, "--lr", LearningRate, "a positive number, e.g. 1e-3");
        Require(BatchSize is >= 1 and <= MaxBatchSize, "--batch", BatchSize, $"between 1 and {MaxBatchSize}");
        Require(Epochs is >= 1 and <= MaxEpochs, "--epochs", Epochs, $"between 1 and {MaxEpochs}");
        Require(ClipGradNorm is null || (double.IsFinite(ClipGradNorm.Value) && ClipGradNorm > 0), "--clip-grad", ClipGradNorm!, "a positive number");
        Data.Validate();
        if (Data.Labels is not null)
        {
            LabelFilter.Parse(Data.Labels);
        }
        bool resizable = Data.Dataset == "shapes" || Data.Dataset.StartsWith(DatasetRequest.FolderPrefix, StringComparison.Ordinal);
        if (!resizable && (Data.Height is not null || Data.Width is not null || Data.Channels is not null))
        {
            throw new TrainingConfigException(
                $"--image-size and --channels apply to folder:PATH and shapes datasets; {UserText.Echo(Data.Dataset)} images are used as they are (28x28 grey).");
        }
    }

    public VaeArchitecture ToArchitecture(int channels, int height, int width) =>
        Architecture == VaeKind.Mlp
            ? VaeArchitecture.Mlp(channels, height, width, EffectiveLatentSize, Hidden, Likelihood, GaussianSigma)
            : VaeArchitecture.Conv(channels, height, width, EffectiveLatentSize, Likelihood, GaussianSigma);

    /// <summary>The KL weight at a point of training measured in (fractional) epochs done.</summary>
    public double KlWeightAt(double epochsDone) =>
        KlWarmupEpochs <= 0 ? Beta : Beta * Math.Min(1.0, epochsDone / KlWarmupEpochs);

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions.Indented);

    public static TrainingConfig FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingConfig>(json, JsonOptions.Indented)
                ?? throw new TrainingConfigException($"{source}: the training configuration is empty.");
        }
        catch (JsonException e)
        {
            throw new TrainingConfigException($"{source}: the training configuration cannot be read ({Runtime.Core.Text.JsonErrors.Describe(e)}).");
        }
    }

    private static void Require(bool ok, string option, object value, string expected)
    {
        if (!ok)
        {
            throw new TrainingConfigException($"{option} {value} is not usable; it must be {expected}.");
        }
    }
}

/// <summary>A training setting that cannot work; the message names the option, its value and what is allowed.</summary>
public sealed class TrainingConfigException(string message) : Exception(message);
