// POST /v1/score: anomaly scores (definitions in runtime/Core/Scoring/README.md) of
//   - one uploaded PNG: raw body, Content-Type image/png, exactly the model's size; query samples=k, seed=u64, kind=nll|elbo;
//   - a JSON batch: {"images": [[C*H*W floats in (C, H, W) order], ...], "samples": k, "seed": u64, "kind": "nll"|"elbo"},
//     1..MaxBatch images, pixel values in the contract's input range [0, 1] for every likelihood.
// Answers JSON {"scoreKind", "samples", "seed", "threshold", "percentile", "scores": [{"score", "anomalous",
// "negativeLogLikelihood", "negativeElbo", "reconstruction", "kl", "sampledKl"}]}. With a calibration.json in the
// model folder, its kind, k and seed are the defaults and other values are refused (its threshold would not apply);
// without one, "threshold" and every "anomalous" are null. k is bounded by MaxScoreSamples, since a request costs k
// decoder passes per image; the scoring stops soon after the request timeout instead of holding its slot.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Runtime.AspNetCore.Http;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

internal static class ScoreEndpoint
{
    public const string Example = """{"images": [[0.0, 0.5, ...], ...], "samples": 16}""";

    // The scoring's own deadline trails the gate's, so the gate answers 504 first and the work then stops by itself.
    private static readonly TimeSpan CancellationMargin = TimeSpan.FromSeconds(2);

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapPost("/score", HandleAsync);

    private sealed record Settings(long? Samples, ulong? Seed, ScoreKind? Kind);

    private static async Task HandleAsync(HttpContext context, ModelHost host, ILogger<ModelHost> logger)
    {
        var metadata = host.Metadata;
        ContentNegotiation.RequireJson(context.Request);
        var (body, mediaType) = await RequestBody.ReadAsync(context, [.. ImageFile.MediaTypes, ContentNegotiation.Json], host.Options.MaxBodyBytes,
            $"{ImageInput.Example}, or {Example}");
        float[] images;
        int count;
        Settings requested;
        if (mediaType != ContentNegotiation.Json)
        {
            requested = ParseQuery(context.Request.Query);
            images = ImageInput.ToModelInput(body, metadata, logger, ImageInput.UploadOptions(host.Options, metadata, mediaType));
            count = 1;
        }
        else
        {
            (images, count, requested) = ParseJson(body, metadata, host.Options.MaxBatch);
        }

        var calibration = host.Calibration;
        var (kind, samples, seed) = Resolve(requested, calibration, host.Options.MaxScoreSamples);
        long start = Stopwatch.GetTimestamp();
        ImageScore[] scores = await host.RunAsync("score", (model, cancel) =>
        {
            // Made inside the work, not the handler: after a 504 the handler returns while the scoring still runs, and
            // disposing the source then would stop its timer, so the scoring would hold its slot to the end.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (host.Options.RequestTimeout + CancellationMargin - Stopwatch.GetElapsedTime(start)).Ticks)));
            return model.Score(images, count, samples, seed, deadline.Token);
        }, context.RequestAborted);

        await JsonAnswer.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("scoreKind", kind.ToName());
            json.WriteNumber("samples", samples);
            json.WriteNumber("seed", seed);
            WriteNumberOrNull(json, "threshold", calibration?.Threshold);
            WriteNumberOrNull(json, "percentile", calibration?.Percentile);
            json.WriteStartArray("scores");
            foreach (var s in scores)
            {
                json.WriteStartObject();
                ScoreJson.WriteFields(json, s, kind, calibration);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static (ScoreKind Kind, int Samples, ulong Seed) Resolve(Settings requested, ScoreCalibration? calibration, int maxSamples)
    {
        if (calibration is not null)
        {
            if (requested.Samples is long k && k != calibration.Samples || requested.Kind is ScoreKind kind && kind != calibration.Kind
                || requested.Seed is ulong seed && seed != calibration.Seed)
            {
                throw RequestProblem.BadRequest(
                    $"The model's calibration.json was made with kind={calibration.Kind.ToName()}, samples={calibration.Samples}, seed={calibration.Seed}; " +
                    "its threshold does not apply to other settings. Leave samples, seed and kind out (they default to the calibration's).");
            }
            if (calibration.Samples > maxSamples)
            {
                throw RequestProblem.BadRequest(
                    $"The model's calibration.json uses samples={calibration.Samples}, above this service's MaxScoreSamples ({maxSamples}); raise --max-score-samples or calibrate with fewer samples.");
            }
            return (calibration.Kind, calibration.Samples, calibration.Seed);
        }
        long samples = requested.Samples ?? Math.Min(ScoreSamples.Default, maxSamples);
        if (ScoreSamples.Problem(samples, "samples", maxSamples, "the service's MaxScoreSamples") is string problem)
            throw RequestProblem.BadRequest(problem);
        return (requested.Kind ?? ScoreKind.NegativeLogLikelihood, (int)samples, requested.Seed ?? 0);
    }

    private static Settings ParseQuery(IQueryCollection query)
    {
        int? samples = null;
        if (query["samples"].ToString() is { Length: > 0 } samplesText)
        {
            samples = int.TryParse(samplesText, NumberStyles.None, CultureInfo.InvariantCulture, out int k)
                ? k
                : throw RequestProblem.BadRequest($"samples is '{Truncate(samplesText)}'; it must be a whole number of posterior draws per image, e.g. samples=16.");
        }
        ulong? seed = null;
        if (query["seed"].ToString() is { Length: > 0 } seedText)
        {
            seed = ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong s)
                ? s
                : throw RequestProblem.BadRequest($"seed must be an integer from 0 to {ulong.MaxValue}.");
        }
        ScoreKind? kind = query["kind"].ToString() is { Length: > 0 } kindText ? ParseKind(kindText) : null;
        return new Settings(samples, seed, kind);
    }

    /// <summary>The images of a JSON batch as one (count, C, H, W) array, and the settings it asks for.</summary>
    private static (float[] Images, int Count, Settings Settings) ParseJson(byte[] body, VaeMetadata metadata, int maxBatch)
    {
        using JsonDocument document = JsonInput.ParseObject(body, Example);
        var root = document.RootElement;
        JsonInput.RequireKnownFields(root, "images", "samples", "seed", "kind");
        int size = metadata.ImageSize;
        if (!root.TryGetProperty("images", out var rows))
            throw RequestProblem.BadRequest($"The field 'images' is missing; send {Example} with rows of {size} numbers (C x H x W = {metadata.Channels} x {metadata.Height} x {metadata.Width}).");
        if (rows.ValueKind != JsonValueKind.Array)
            throw RequestProblem.BadRequest($"images is a JSON {JsonInput.Describe(rows.ValueKind)}; it must be an array of rows of {size} numbers.");
        int count = rows.GetArrayLength();
        if (count == 0 || count > maxBatch)
            throw RequestProblem.BadRequest($"images has {count} rows; send 1 to {maxBatch} images (the service's MaxBatch).");

        var images = new float[count * size];
        int n = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
                throw RequestProblem.BadRequest($"images[{n}] is a JSON {JsonInput.Describe(row.ValueKind)}; each image must be an array of {size} numbers.");
            if (row.GetArrayLength() != size)
                throw RequestProblem.BadRequest($"images[{n}] has {row.GetArrayLength()} values; this model's images have C x H x W = {metadata.Channels} x {metadata.Height} x {metadata.Width} = {size}.");
            int i = 0;
            foreach (var value in row.EnumerateArray())
            {
                float pixel = JsonInput.FiniteFloat(value, $"images[{n}][{i}]");
                // The model contract's input range for every likelihood: larger magnitudes would only overflow the encoder.
                if (pixel is < VaeContract.InputMin or > VaeContract.InputMax)
                    throw RequestProblem.BadRequest($"images[{n}][{i}] is {pixel.ToString(CultureInfo.InvariantCulture)}; pixel values must be from {VaeContract.InputMin} to {VaeContract.InputMax} (the model contract's input range).");
                images[n * size + i] = pixel;
                i++;
            }
            n++;
        }

        long? samples = null;
        if (root.TryGetProperty("samples", out var samplesValue))
        {
            // Any whole number: its bound is the service's (Resolve), refused there in ScoreSamples' words.
            samples = samplesValue.ValueKind == JsonValueKind.Number && samplesValue.TryGetInt64(out long k)
                ? k
                : throw RequestProblem.BadRequest($"samples is {Truncate(samplesValue.GetRawText())}; it must be a whole number of posterior draws per image, e.g. 16.");
        }
        ulong? seed = root.TryGetProperty("seed", out var seedValue) ? JsonInput.UInt64(seedValue, "seed") : null;
        ScoreKind? kind = null;
        if (root.TryGetProperty("kind", out var kindValue))
        {
            kind = kindValue.ValueKind == JsonValueKind.String
                ? ParseKind(kindValue.GetString()!)
                : throw RequestProblem.BadRequest($"kind is a JSON {JsonInput.Describe(kindValue.ValueKind)}; it must be \"nll\" or \"elbo\".");
        }
        return (images, count, new Settings(samples, seed, kind));
    }

    private static ScoreKind ParseKind(string text)
    {
        try
        {
            return ScoreKindNames.Parse(text);
        }
        catch (FormatException)
        {
            throw RequestProblem.BadRequest($"kind is '{Truncate(text)}'; use kind=nll (importance-weighted -log p(x)) or kind=elbo (negative ELBO).");
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double v)
            json.WriteNumber(name, v);
        else
            json.WriteNull(name);
    }

    private static string Truncate(string text) => text.Length <= 20 ? text : text[..20] + "...";
}
