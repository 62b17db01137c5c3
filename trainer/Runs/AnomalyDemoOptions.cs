// The settings of the anomaly demonstration, with its defaults and bounds. The run it trains is a TrainingConfig like
// any other (its defaults and bounds are TrainingConfig's); the demo sets only what it chooses differently: an mlp
// with a 16-dimensional latent space (train's mlp default, 2, is made for drawing the latent space, not for telling
// digits apart), trained on the normal labels only.
using System.Globalization;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Runs;

public sealed record AnomalyDemoOptions
{
    public const string DefaultFolder = "runs/anomaly-demo";

    /// <summary>The fewest test images the demo works with: two normal halves and something to compare.</summary>
    public const int MinTestImages = 4;

    /// <summary>An existing run folder to analyse; null: train one into <see cref="Folder"/> first.</summary>
    public string? Model { get; init; }

    /// <summary>The run folder to train into and write the report to (when <see cref="Model"/> is null).</summary>
    public string Folder { get; init; } = DefaultFolder;

    /// <summary>The labels the model is trained on (normal); the others are held out as anomalies.</summary>
    public string NormalLabels { get; init; } = "0-8";

    public string Dataset { get; init; } = Training.TrainingConfig.Defaults.Data.Dataset;

    public VaeKind Architecture { get; init; } = VaeKind.Mlp;

    public int LatentSize { get; init; } = 16;

    public int Epochs { get; init; } = Training.TrainingConfig.Defaults.Epochs;

    public Binarization Binarize { get; init; } = Training.TrainingConfig.Defaults.Data.Binarize;

    /// <summary>Train on the first N training images of the normal labels.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Analyse (and test during training on) only the first N test images.</summary>
    public int? TestLimit { get; init; }

    /// <summary>Folder of the dataset's files; null: as train resolves it.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Images in each of the noise, inverted and shapes sets.</summary>
    public int SyntheticCount { get; init; } = 1000;

    /// <summary>k, the posterior draws per image of the scores.</summary>
    public int Samples { get; init; } = ScoreSamples.Default;

    public ScoreKind Kind { get; init; } = ScoreKind.NegativeLogLikelihood;

    /// <summary>Percentile of the calibration half's scores that becomes the threshold.</summary>
    public double Percentile { get; init; } = 99;

    /// <summary>Seed of training, the synthetic sets and the scores.</summary>
    public ulong Seed { get; init; } = Training.TrainingConfig.Defaults.Seed;

    /// <summary>ONNX Runtime's intra-op threads for scoring (0: its choice).</summary>
    public int ScoringThreads { get; init; }

    /// <summary>Throws a CliUsageException naming the option when a demo setting cannot work (the training settings are checked as train checks them).</summary>
    public void Validate()
    {
        if (ScoreSamples.Problem(Samples, "--samples") is string samples)
        {
            throw new CliUsageException(samples);
        }
        if (SyntheticCount < 1)
        {
            throw new CliUsageException($"--synthetic {SyntheticCount} is not usable; give at least 1 image per synthetic set.");
        }
        if (!(Percentile is >= 0 and <= 100))
        {
            throw new CliUsageException($"--percentile {Percentile.ToString(CultureInfo.InvariantCulture)} is not usable; give 0 to 100 (e.g. 99).");
        }
        if (TestLimit is < MinTestImages)
        {
            throw new CliUsageException($"--test-limit {TestLimit} is too small; the demo needs at least {MinTestImages} test images.");
        }
    }

    /// <summary>The run the demo trains: train's defaults, with the demo's network, labels, data and seed.</summary>
    public TrainingConfig ToTrainingConfig() => new()
    {
        Architecture = Architecture,
        LatentSize = LatentSize,
        Epochs = Epochs,
        Seed = Seed,
        Data = new DatasetRequest
        {
            Dataset = Dataset,
            DataFolder = DataFolder,
            Labels = NormalLabels,
            TrainLimit = TrainLimit,
            TestLimit = TestLimit,
            Binarize = Binarize,
        },
    };
}
