// The JSON fields of one scored image, written the same way by `runtime score --format json` and by POST /v1/score:
// "score" (the ScoreKind's number), "anomalous" (null without a calibration), then every number of the ImageScore.
using System.Text.Json;

namespace VaeOnnx.Runtime.Core.Scoring;

/// <summary>The JSON fields of one scored image, the same in `runtime score --format json` and POST /v1/score.</summary>
public static class ScoreJson
{
    /// <summary>Writes the fields into the object the caller has opened (and closes).</summary>
    public static void WriteFields(Utf8JsonWriter json, ImageScore score, ScoreKind kind, ScoreCalibration? calibration)
    {
        double value = score.Value(kind);
        json.WriteNumber("score", value);
        if (calibration is null)
        {
            json.WriteNull("anomalous");
        }
        else
        {
            json.WriteBoolean("anomalous", calibration.IsAnomalous(value));
        }
        json.WriteNumber("negativeLogLikelihood", score.NegativeLogLikelihood);
        json.WriteNumber("negativeElbo", score.NegativeElbo);
        json.WriteNumber("reconstruction", score.Reconstruction);
        json.WriteNumber("kl", score.Kl);
        json.WriteNumber("sampledKl", score.SampledKl);
    }
}
