// The wording shared by both progress displays, so a terminal and a CI log say the same thing.
using System.Globalization;

namespace VaeOnnx.Trainer.Training;

public static class ProgressText
{
    /// <summary>The line while an epoch runs; <paramref name="device"/> (e.g. "cuda:0 NVIDIA H200") names where it runs.</summary>
    public static string Running(int epoch, int totalEpochs, RunningLoss r, string? device = null) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {epoch}/{totalEpochs}  loss {r.Loss:F2} (rec {r.Reconstruction:F2} + KL {r.Kl:F2})  {r.ImagesPerSecond:F0} img/s{On(device)}");

    /// <summary>The running line without padding, for a progress bar's label.</summary>
    public static string Compact(int epoch, int totalEpochs, RunningLoss r, string? device = null) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {epoch}/{totalEpochs} loss {r.Loss:F1} (rec {r.Reconstruction:F1} + KL {r.Kl:F1}) {r.ImagesPerSecond:F0} img/s{On(device)}");

    private static string On(string? device) => device is null ? "" : $" on {device}";

    public static string Summary(EpochMetrics m, int totalEpochs) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {m.Epoch}/{totalEpochs}  train {m.TrainLoss:F2}  test {m.TestLoss:F2} nats/image  (test rec {m.TestReconstruction:F2} + KL {m.TestKl:F2})  {m.Seconds:F1} s  {m.ImagesPerSecond:F0} img/s");
}
