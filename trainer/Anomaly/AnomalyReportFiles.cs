// The anomaly demonstration's text results: anomaly-report.json (every number, for programs) and anomaly-report.md
// (a table for people and READMEs), each written atomically.
using VaeOnnx.Runtime.Core.IO;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Anomaly;

public static class AnomalyReportFiles
{
    public const string JsonFile = "anomaly-report.json";
    public const string MarkdownFile = "anomaly-report.md";

    public static string Markdown(AnomalyResults results, string modelDescription)
    {
        var c = results.Calibration;
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Anomaly scores of {modelDescription}: {Describe(results.Kind)}, k = {results.Samples}, seed {results.Seed}, in nats per image."));
        text.AppendLine(Invariant($"Threshold {c.Threshold:F2} = percentile {c.Percentile:G} of {c.Count} normal test images (the other half of them is the normal set below)."));
        text.AppendLine();
        text.AppendLine("| set | images | mean score ± s.e. | AUROC vs normal | flagged |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var row in results.Rows)
        {
            text.AppendLine(Invariant($"| {row.Name} | {row.Count} | {row.Score.Mean:F2} ± {row.Score.StandardError:F2} | {(row.Auroc is double a ? a.ToString("F4", CultureInfo.InvariantCulture) : "-")} | {100 * row.FlaggedFraction:F1}% |"));
        }
        return text.ToString();
    }

    public static byte[] Json(AnomalyResults results, string modelFolder)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("model", modelFolder);
            json.WriteString("score_kind", results.Kind.ToName());
            json.WriteNumber("samples", results.Samples);
            json.WriteNumber("seed", results.Seed);
            json.WriteNumber("percentile", results.Calibration.Percentile);
            json.WriteNumber("threshold", results.Calibration.Threshold);
            json.WriteNumber("calibration_count", results.Calibration.Count);
            json.WriteStartArray("sets");
            foreach (var row in results.Rows)
            {
                json.WriteStartObject();
                json.WriteString("name", row.Name);
                json.WriteNumber("count", row.Count);
                json.WriteNumber("mean_score", row.Score.Mean);
                json.WriteNumber("standard_error", row.Score.StandardError);
                if (row.Auroc is double auroc)
                {
                    json.WriteNumber("auroc", auroc);
                }
                else
                {
                    json.WriteNull("auroc");
                }
                json.WriteNumber("flagged_fraction", row.FlaggedFraction);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>Writes both files into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(AnomalyResults results, string folder, string modelFolder, string modelDescription)
    {
        string json = Path.Combine(folder, JsonFile), markdown = Path.Combine(folder, MarkdownFile);
        var bytes = Json(results, modelFolder);
        AtomicFile.Write(json, stream => stream.Write(bytes));
        AtomicFile.WriteAllText(markdown, Markdown(results, modelDescription));
        return [json, markdown];
    }

    public static string Describe(ScoreKind kind) => kind == ScoreKind.NegativeLogLikelihood
        ? "importance-weighted -log p(x)"
        : "negative ELBO";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
