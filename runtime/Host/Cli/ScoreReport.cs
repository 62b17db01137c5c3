// The text formats of `score`: an aligned table for people, JSON and CSV for programs. Every number is in nats; the
// anomaly flag appears only when a calibration supplied a threshold.
//   JSON: {"model", "scoreKind", "samples", "seed", "likelihood", "threshold" (or null), "images": [{"file", "score",
//          "anomalous" (or null), "negativeLogLikelihood", "negativeElbo", "reconstruction", "kl", "sampledKl"}]}
//   CSV:  file,score,anomalous,nll,neg_elbo,reconstruction,kl,sampled_kl   (anomalous empty when uncalibrated)
using System.Globalization;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.Core.Scoring;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed record ScoreReport(string Model, IReadOnlyList<string> Files, IReadOnlyList<ImageScore> Scores, ScoreKind Kind, int Samples, ulong Seed,
    string Likelihood, ScoreCalibration? Calibration)
{
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine($"model {Model}, {Likelihood}");
        text.AppendLine(Invariant($"score {Kind.ToName()} (k = {Samples}, seed {Seed}), nats per image; ") + (Calibration is { } c
            ? Invariant($"threshold {UserText.Number(c.Threshold, 3)} (percentile {UserText.Number(c.Percentile)} of {c.Count} normal images)")
            : "no calibration.json: run 'calibrate' to flag anomalies"));
        var names = Files.Select(Path.GetFileName).Select(n => n ?? "").ToArray();
        int width = Math.Max(5, names.Max(n => n.Length));
        text.AppendLine($"{"image".PadRight(width)} {"score",10} {"nll",10} {"-elbo",10} {"recon",10} {"kl",10}{(Calibration != null ? "  flag" : "")}");
        for (int i = 0; i < Scores.Count; i++)
        {
            var s = Scores[i];
            text.Append(Invariant($"{names[i].PadRight(width)} {UserText.Number(s.Value(Kind), 3),10} {UserText.Number(s.NegativeLogLikelihood, 3),10} {UserText.Number(s.NegativeElbo, 3),10} {UserText.Number(s.Reconstruction, 3),10} {UserText.Number(s.Kl, 3),10}"));
            text.AppendLine(Calibration is { } cal && cal.IsAnomalous(s.Value(Kind)) ? "  ANOMALY" : "");
        }
        if (Calibration is { } calibration)
        {
            text.AppendLine($"{Scores.Count} image(s), {Scores.Count(s => calibration.IsAnomalous(s.Value(Kind)))} flagged as anomalous");
        }
        return text.ToString();
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("model", Model);
            json.WriteString("scoreKind", Kind.ToName());
            json.WriteNumber("samples", Samples);
            json.WriteNumber("seed", Seed);
            json.WriteString("likelihood", Likelihood);
            if (Calibration is { } c)
            {
                json.WriteNumber("threshold", c.Threshold);
                json.WriteNumber("percentile", c.Percentile);
            }
            else
            {
                json.WriteNull("threshold");
                json.WriteNull("percentile");
            }
            json.WriteStartArray("images");
            for (int i = 0; i < Scores.Count; i++)
            {
                var s = Scores[i];
                json.WriteStartObject();
                json.WriteString("file", Files[i]);
                ScoreJson.WriteFields(json, s, Kind, Calibration);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public string ToCsv()
    {
        var text = new StringBuilder("file,score,anomalous,nll,neg_elbo,reconstruction,kl,sampled_kl\n");
        for (int i = 0; i < Scores.Count; i++)
        {
            var s = Scores[i];
            string flag = Calibration is { } cal ? (cal.IsAnomalous(s.Value(Kind)) ? "true" : "false") : "";
            text.Append(LatentFile.CsvField(Files[i])).Append(',').Append(R(s.Value(Kind))).Append(',').Append(flag);
            foreach (double v in new[] { s.NegativeLogLikelihood, s.NegativeElbo, s.Reconstruction, s.Kl, s.SampledKl })
            {
                text.Append(',').Append(R(v));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
