// The names of the files a training run leaves in its folder, beside the model contract's encoder.onnx and
// decoder.onnx (VaeContract.EncoderFileName, VaeContract.DecoderFileName); trainer/README.md documents each. Opening
// a run folder is Runs/RunFolder's job.
namespace VaeOnnx.Trainer.Training;

public static class RunFiles
{
    public const string Checkpoint = "checkpoint.bin";
    public const string Config = "config.json";
    public const string MetricsCsv = "metrics.csv";
    public const string MetricsJson = "metrics.json";
    public const string LossPlot = "loss.png";
    public const string Samples = "samples.png";
    public const string Reconstructions = "reconstructions.png";
    public const string Interpolation = "interpolation.png";
    public const string Manifold = "manifold.png";
    public const string LatentScatter = "latent-scatter.png";
}
