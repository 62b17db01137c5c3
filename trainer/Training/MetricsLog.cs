// Writes the per-epoch metrics of a run as metrics.csv (one header line, one line per epoch, invariant culture)
// and metrics.json (an array of objects with the same fields). Both are rewritten whole, atomically, after each epoch.
using VaeOnnx.Runtime.Core.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VaeOnnx.Trainer.Training;

public static class MetricsLog
{
    public const string Header = "epoch,train_loss,train_reconstruction,train_kl,test_loss,test_reconstruction,test_kl,kl_weight,seconds,images_per_second";

    public static void Write(string runFolder, IReadOnlyList<EpochMetrics> epochs)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (EpochMetrics m in epochs)
        {
            csv.Append(string.Join(',',
                m.Epoch.ToString(CultureInfo.InvariantCulture),
                F(m.TrainLoss), F(m.TrainReconstruction), F(m.TrainKl),
                F(m.TestLoss), F(m.TestReconstruction), F(m.TestKl),
                F(m.KlWeight), F(m.Seconds), F(m.ImagesPerSecond))).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(runFolder, RunFiles.MetricsCsv), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(runFolder, RunFiles.MetricsJson), ToJson(epochs));
    }

    public static string ToJson(IReadOnlyList<EpochMetrics> epochs) => JsonSerializer.Serialize(epochs, JsonOptions.Indented);

    public static List<EpochMetrics> FromJson(string json) =>
        JsonSerializer.Deserialize<List<EpochMetrics>>(json, JsonOptions.Indented) ?? [];

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
