// The names of everything a training run leaves in its folder (documented in trainer/README.md).
namespace VaeOnnx.Trainer.Training;

public static class RunFolder
{
    public const string Checkpoint = "checkpoint.bin";
    public const string Config = "config.json";
    public const string MetricsCsv = "metrics.csv";
    public const string MetricsJson = "metrics.json";
    public const string Encoder = Runtime.Core.VaeContract.EncoderFileName;
    public const string Decoder = Runtime.Core.VaeContract.DecoderFileName;
    public const string LossPlot = "loss.png";
    public const string Samples = "samples.png";
    public const string Reconstructions = "reconstructions.png";
    public const string Interpolation = "interpolation.png";
    public const string Manifold = "manifold.png";
    public const string LatentScatter = "latent-scatter.png";

    /// <summary>runs/&lt;arch&gt;-&lt;yyyyMMdd-HHmmss&gt; under the current directory.</summary>
    public static string DefaultPath(string architecture, DateTime now) =>
        Path.Combine("runs", $"{architecture}-{now:yyyyMMdd-HHmmss}");
}
