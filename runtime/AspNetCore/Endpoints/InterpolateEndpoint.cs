// POST /v1/interpolate: decodes the path between two latents. Body {"from": [L floats], "to": [L floats], "steps":
// 2..MaxBatch, "kind": "linear" | "spherical"} (steps 10 and linear when left out; every value a finite float32 within
// ±VaeModel.MaxLatentMagnitude). Answers a PNG (one row of `steps` tiles unless the query asks another layout,
// GridQuery) or JSON floats with the path's z, by Accept.
// POST /v1/latents/interpolate: the same body, answers only the path's z (JSON), decoding nothing.
// The path is LatentMath.Interpolate's, the one VaeModel.InterpolateLatents and the CLI's `interpolate` use: both ends
// exact, spherical falling back to linear when an end is zero or the two are (anti)parallel.
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VaeOnnx.Runtime.AspNetCore.Http;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

/// <summary>POST /v1/interpolate and POST /v1/latents/interpolate.</summary>
internal static class InterpolateEndpoint
{
    /// <summary>An example body, quoted in messages.</summary>
    public const string Example = """{"from": [0.1, -0.3, ...], "to": [1.2, 0.4, ...], "steps": 10, "kind": "linear"}""";

    /// <summary>Steps when the body gives none.</summary>
    public const int DefaultSteps = 10;

    /// <summary>Maps POST /interpolate.</summary>
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapPost("/interpolate", HandleAsync);

    /// <summary>Maps POST /latents/interpolate.</summary>
    public static RouteHandlerBuilder MapLatents(IEndpointRouteBuilder v1) => v1.MapPost("/latents/interpolate", HandleLatentsAsync);

    /// <summary>A parsed interpolation request: both ends (L values each), the steps (ends included) and the kind of path.</summary>
    public sealed record Request(float[] From, float[] To, int Steps, InterpolationKind Kind);

    private static async Task HandleAsync(HttpContext context, ModelHost host)
    {
        var metadata = host.Metadata;
        var format = ContentNegotiation.Choose(context.Request, ResponseFormat.Png);
        var request = await ReadAsync(context, host);
        var grid = GridQuery.Parse(context.Request.Query, request.Steps) ?? new ImageGridOptions { Columns = request.Steps };
        float[] path = Path(request);
        float[] images = (await host.RunAsync("interpolate", (model, cancel) => model.Decode(new LatentBatch(path, request.Steps, metadata.LatentSize), cancel),
            context.RequestAborted)).Values;
        await ImageAnswer.WriteAsync(context, format, images, request.Steps, metadata, json =>
        {
            json.WriteString("kind", KindName(request.Kind));
            JsonAnswer.WriteRows(json, "z", path, metadata.LatentSize);
        }, grid);
    }

    private static async Task HandleLatentsAsync(HttpContext context, ModelHost host)
    {
        int latentSize = host.Metadata.LatentSize;
        ContentNegotiation.RequireJson(context.Request);
        var request = await ReadAsync(context, host);
        float[] path = Path(request);
        await JsonAnswer.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("steps", request.Steps);
            json.WriteNumber("latentSize", latentSize);
            json.WriteString("kind", KindName(request.Kind));
            JsonAnswer.WriteRows(json, "z", path, latentSize);
            json.WriteEndObject();
        });
    }

    private static async Task<Request> ReadAsync(HttpContext context, ModelHost host)
    {
        byte[] body = await RequestBody.ReadAsync(context, ContentNegotiation.Json, host.Options.MaxBodyBytes, Example);
        return Parse(body, host.Metadata.LatentSize, host.Options.MaxBatch);
    }

    /// <summary>The path's z, (Steps, L) row-major: LatentMath.Interpolate.</summary>
    public static float[] Path(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = new float[request.Steps * request.From.Length];
        LatentMath.Interpolate(request.From, request.To, request.Steps, request.Kind, path);
        return path;
    }

    /// <summary>Parses an interpolation body; throws a 400 problem naming the first bad field.</summary>
    public static Request Parse(byte[] body, int latentSize, int maxBatch)
    {
        using JsonDocument document = JsonInput.ParseObject(body, Example);
        var root = document.RootElement;
        JsonInput.RequireKnownFields(root, "from", "to", "steps", "kind");
        float[] from = End(root, "from", latentSize);
        float[] to = End(root, "to", latentSize);
        int steps = root.TryGetProperty("steps", out var s)
            ? JsonInput.Int32InRange(s, "steps", 2, Math.Max(2, maxBatch), "the service's MaxBatch; steps count both ends")
            : Math.Min(DefaultSteps, Math.Max(2, maxBatch));
        var kind = InterpolationKind.Linear;
        if (root.TryGetProperty("kind", out var k))
        {
            string? text = k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (text is null || !Enum.TryParse(text, ignoreCase: true, out kind) || !Enum.IsDefined(kind) || text.Any(char.IsDigit))
            {
                string shown = k.GetRawText();
                throw RequestProblem.BadRequest(
                    $"kind is {(shown.Length > 40 ? shown[..40] + "..." : shown)}; use {string.Join(" or ", Enum.GetValues<InterpolationKind>().Select(v => $"\"{KindName(v)}\""))}.");
            }
        }
        return new Request(from, to, steps, kind);
    }

    private static float[] End(JsonElement root, string name, int latentSize)
    {
        if (!root.TryGetProperty(name, out var values))
            throw RequestProblem.BadRequest($"The field '{name}' is missing; send {Example} with {latentSize} numbers in each end.");
        if (values.ValueKind != JsonValueKind.Array)
            throw RequestProblem.BadRequest($"{name} is a JSON {JsonInput.Describe(values.ValueKind)}; it must be an array of {latentSize} numbers.");
        if (values.GetArrayLength() != latentSize)
            throw RequestProblem.BadRequest($"{name} has {values.GetArrayLength()} values; this model's latent size is {latentSize}.");
        var z = new float[latentSize];
        int i = 0;
        foreach (var value in values.EnumerateArray())
        {
            z[i] = JsonInput.Latent(value, $"{name}[{i}]");
            i++;
        }
        return z;
    }

    private static string KindName(InterpolationKind kind) => kind.ToString().ToLowerInvariant();
}
