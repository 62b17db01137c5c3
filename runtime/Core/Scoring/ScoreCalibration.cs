// The anomaly threshold stored next to a model as calibration.json: the chosen percentile of the scores of normal
// reference images, with how they were scored (kind, k, seed), summary statistics, and the SHA-256 of encoder.onnx
// and decoder.onnx so a calibration left behind by another model is detected instead of silently used.
// Written atomically (temporary file, then rename), so a failed write never destroys the previous calibration.
// Reading checks every field and says what is wrong and what to do. The format is in README.md. Field names follow
// the contract's policy for files (VaeContract.FileJsonNaming, snake_case); files written before that policy, with
// the camelCase names scoreKind, encoderSha256, decoderSha256 and createdUtc, are read too (LegacyNames).
// It deliberately does not score anything itself (the calibrate command does that through VaeScorer.Score).
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Runtime.Core.Scoring;

/// <summary>An anomaly threshold stored beside a model as calibration.json: a percentile of the scores of normal reference images, how they were scored, summary statistics, and the SHA-256 of the model files it was made for.</summary>
public sealed record ScoreCalibration
{
    /// <summary>The file name in the model folder: "calibration.json".</summary>
    public const string FileName = VaeContract.CalibrationFileName;
    /// <summary>The "format" field every calibration.json carries.</summary>
    public const string FormatName = "vaeonnx.calibration";
    /// <summary>The "version" this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Which score the threshold applies to.</summary>
    public required ScoreKind Kind { get; init; }

    /// <summary>k, the posterior draws per image the reference images were scored with.</summary>
    public required int Samples { get; init; }

    /// <summary>The seed of the posterior draws the reference images were scored with.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The percentile of the reference scores taken as the threshold, 0 to 100.</summary>
    public required double Percentile { get; init; }

    /// <summary>Scores strictly above this are flagged as anomalous.</summary>
    public required double Threshold { get; init; }

    /// <summary>How many reference images were scored.</summary>
    public required int Count { get; init; }

    /// <summary>Mean of the reference scores.</summary>
    public required double Mean { get; init; }

    /// <summary>Sample standard deviation (n - 1 in the denominator; 0 for one image).</summary>
    public required double StandardDeviation { get; init; }

    /// <summary>Smallest reference score.</summary>
    public required double Min { get; init; }

    /// <summary>Largest reference score.</summary>
    public required double Max { get; init; }

    /// <summary>Hex SHA-256 of the encoder.onnx the calibration was made with.</summary>
    public required string EncoderSha256 { get; init; }

    /// <summary>Hex SHA-256 of the decoder.onnx the calibration was made with.</summary>
    public required string DecoderSha256 { get; init; }

    /// <summary>When the calibration was made (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Whether <paramref name="score"/> is above <see cref="Threshold"/>.</summary>
    public bool IsAnomalous(double score) => score > Threshold;

    /// <summary>The calibration of <paramref name="model"/> from the scores of normal reference images.</summary>
    public static ScoreCalibration FromScores(VaeModel model, IReadOnlyCollection<double> scores, ScoreKind kind, int samples, ulong seed, double percentile)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scores);
        double threshold = Scoring.Percentile.Of(scores, percentile);
        double mean = scores.Average();
        double variance = scores.Count > 1 ? scores.Sum(s => (s - mean) * (s - mean)) / (scores.Count - 1) : 0;
        var (encoder, decoder) = HashModel(model.Folder);
        return new ScoreCalibration
        {
            Kind = kind,
            Samples = samples,
            Seed = seed,
            Percentile = percentile,
            Threshold = threshold,
            Count = scores.Count,
            Mean = mean,
            StandardDeviation = Math.Sqrt(variance),
            Min = scores.Min(),
            Max = scores.Max(),
            EncoderSha256 = encoder,
            DecoderSha256 = decoder,
        };
    }

    /// <summary>The full path of calibration.json in <paramref name="modelFolder"/>.</summary>
    public static string PathIn(string modelFolder) => Path.Combine(Path.GetFullPath(modelFolder), FileName);

    /// <summary>Hex SHA-256 of the folder's encoder.onnx and decoder.onnx.</summary>
    public static (string Encoder, string Decoder) HashModel(string modelFolder) =>
        (Sha256Of(Path.Combine(modelFolder, VaeContract.EncoderFileName)), Sha256Of(Path.Combine(modelFolder, VaeContract.DecoderFileName)));

    /// <summary>Writes <paramref name="modelFolder"/>/calibration.json atomically; returns its path.</summary>
    public string Save(string modelFolder)
    {
        var path = PathIn(modelFolder);
        AtomicFile.WriteAllBytes(path, ToJson());
        return path;
    }

    /// <summary>The calibration as calibration.json's UTF-8 bytes (indented).</summary>
    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatName);
            json.WriteNumber("version", CurrentVersion);
            json.WriteString("score_kind", Kind.ToName());
            json.WriteNumber("samples", Samples);
            json.WriteNumber("seed", Seed);
            json.WriteNumber("percentile", Percentile);
            json.WriteNumber("threshold", Threshold);
            json.WriteNumber("count", Count);
            json.WriteNumber("mean", Mean);
            json.WriteNumber("std", StandardDeviation);
            json.WriteNumber("min", Min);
            json.WriteNumber("max", Max);
            json.WriteString("encoder_sha256", EncoderSha256);
            json.WriteString("decoder_sha256", DecoderSha256);
            json.WriteString("created_utc", CreatedUtc.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>Reads <paramref name="modelFolder"/>/calibration.json; null when there is none. Throws CalibrationException when it is unreadable.</summary>
    public static ScoreCalibration? TryLoad(string modelFolder)
    {
        var path = PathIn(modelFolder);
        return File.Exists(path) ? Parse(File.ReadAllBytes(path), path) : null;
    }

    /// <summary>Parses calibration JSON; <paramref name="path"/> names the file in errors.</summary>
    public static ScoreCalibration Parse(ReadOnlySpan<byte> utf8Json, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"is not valid JSON ({Text.JsonErrors.Describe(e)})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Corrupt(path, $"holds a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }
            string format = String(root, "format", path);
            if (format != FormatName)
            {
                throw Corrupt(path, $"has format '{format}', not '{FormatName}'");
            }
            int version = Int(root, "version", path);
            if (version != CurrentVersion)
            {
                throw new CalibrationException(path,
                    $"{path} is calibration format version {version}; this runtime reads version {CurrentVersion}. Run 'calibrate' again with this runtime.");
            }
            ScoreKind kind;
            try
            {
                kind = ScoreKindNames.Parse(String(root, "score_kind", path));
            }
            catch (FormatException e)
            {
                throw Corrupt(path, $"field 'score_kind': {e.Message}");
            }
            var calibration = new ScoreCalibration
            {
                Kind = kind,
                Samples = Int(root, "samples", path),
                Seed = Field(root, "seed", path, JsonValueKind.Number).TryGetUInt64(out var seed) ? seed : throw Corrupt(path, "field 'seed' is not a whole number from 0 to 2^64 - 1"),
                Percentile = Number(root, "percentile", path),
                Threshold = Number(root, "threshold", path),
                Count = Int(root, "count", path),
                Mean = Number(root, "mean", path),
                StandardDeviation = Number(root, "std", path),
                Min = Number(root, "min", path),
                Max = Number(root, "max", path),
                EncoderSha256 = Hash(root, "encoder_sha256", path),
                DecoderSha256 = Hash(root, "decoder_sha256", path),
                CreatedUtc = DateTimeOffset.TryParse(String(root, "created_utc", path), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created)
                    ? created
                    : throw Corrupt(path, "field 'created_utc' is not a date"),
            };
            if (ScoreSamples.Problem(calibration.Samples, "its field 'samples'") is string samples)
            {
                throw new CalibrationException(path, $"{path}: {samples} It is not a usable calibration. Run 'calibrate' again (it replaces the file), or delete it.");
            }
            if (calibration.Count < 1)
            {
                throw Corrupt(path, $"field 'count' is {calibration.Count}; expected at least 1");
            }
            if (calibration.Percentile is < 0 or > 100)
            {
                throw Corrupt(path, $"field 'percentile' is {calibration.Percentile}; expected 0 to 100");
            }
            return calibration;
        }
    }

    /// <summary>Throws CalibrationException unless this calibration was made for the files now in <paramref name="modelFolder"/>.</summary>
    public void CheckMatches(string modelFolder)
    {
        var (encoder, decoder) = HashModel(modelFolder);
        if (encoder != EncoderSha256 || decoder != DecoderSha256)
        {
            var which = encoder != EncoderSha256 && decoder != DecoderSha256 ? "encoder.onnx and decoder.onnx"
                : encoder != EncoderSha256 ? VaeContract.EncoderFileName : VaeContract.DecoderFileName;
            throw new CalibrationException(PathIn(modelFolder),
                $"{PathIn(modelFolder)} is stale: {which} changed since it was made (SHA-256 differs). Run 'calibrate' again on normal images, or delete the file.");
        }
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The camelCase names version 1 files had before the file policy (snake_case); read when the snake_case name is absent.</summary>
    private static readonly IReadOnlyDictionary<string, string> LegacyNames = new Dictionary<string, string>
    {
        ["score_kind"] = "scoreKind",
        ["encoder_sha256"] = "encoderSha256",
        ["decoder_sha256"] = "decoderSha256",
        ["created_utc"] = "createdUtc",
    };

    private static JsonElement Field(JsonElement root, string name, string path, JsonValueKind kind)
    {
        if (!root.TryGetProperty(name, out var value) && !(LegacyNames.TryGetValue(name, out var legacy) && root.TryGetProperty(legacy, out value)))
        {
            throw Corrupt(path, $"lacks the field '{name}'");
        }
        if (value.ValueKind != kind)
        {
            throw Corrupt(path, $"field '{name}' is a JSON {value.ValueKind.ToString().ToLowerInvariant()}; expected a {kind.ToString().ToLowerInvariant()}");
        }
        return value;
    }

    private static string String(JsonElement root, string name, string path) => Field(root, name, path, JsonValueKind.String).GetString()!;

    private static int Int(JsonElement root, string name, string path) =>
        Field(root, name, path, JsonValueKind.Number).TryGetInt32(out var value) ? value : throw Corrupt(path, $"field '{name}' is not a whole number");

    private static double Number(JsonElement root, string name, string path)
    {
        return Field(root, name, path, JsonValueKind.Number).TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw Corrupt(path, $"field '{name}' is not a finite number");
    }

    private static string Hash(JsonElement root, string name, string path)
    {
        var text = String(root, name, path);
        return text.Length == 64 && text.All(char.IsAsciiHexDigitLower) ? text : throw Corrupt(path, $"field '{name}' is not a lower-case hex SHA-256");
    }

    private static CalibrationException Corrupt(string path, string what) =>
        new(path, $"{path} {what}; it is not a usable calibration. Run 'calibrate' again (it replaces the file), or delete it.");
}

/// <summary>A calibration.json that cannot be used: unreadable, of another version, or made for other model files.</summary>
/// <param name="path">The calibration file.</param>
/// <param name="message">What is wrong with it and what to do.</param>
public sealed class CalibrationException(string path, string message) : Exception(message)
{
    /// <summary>The calibration file at fault.</summary>
    public string CalibrationPath { get; } = path;
}
