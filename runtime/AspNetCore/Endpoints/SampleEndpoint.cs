// POST /v1/sample: draws images from the prior. Body {"count": 1..MaxCount, "seed": u64, "temperature": (0, VaeModel.MaxTemperature = 10]},
// all optional (an empty body or {} samples one image at temperature 1 from a server-chosen seed, returned in X-Vae-Seed).
// Answers a PNG grid (default; layout by GridQuery) or JSON floats with the z each image was decoded from, by Accept.
// POST /v1/latents/sample: the same body, answers only those z (JSON), decoding nothing: a client that wants to move
// from a sample (the page loads its z into the sliders) gets exactly the z /v1/sample would decode for that seed.
// z are LatentMath.FillNormal's draws, as VaeModel.SampleLatents makes them. It does not stream partial batches.
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VaeOnnx.Runtime.AspNetCore.Http;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

internal static class SampleEndpoint
{
    public const string Example = """{"count": 16, "seed": 42, "temperature": 1.0}""";

    // A sample request is a handful of bytes; a large one is refused before it is read.
    private const long BodyLimit = 4096;

    /// <summary>Maps POST /sample.</summary>
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapPost("/sample", HandleAsync);

    /// <summary>Maps POST /latents/sample.</summary>
    public static RouteHandlerBuilder MapLatents(IEndpointRouteBuilder v1) => v1.MapPost("/latents/sample", HandleLatentsAsync);

    /// <summary>A parsed sample request.</summary>
    public sealed record Request(int Count, ulong Seed, float Temperature);

    private static async Task HandleAsync(HttpContext context, ModelHost host)
    {
        var metadata = host.Metadata;
        var format = ContentNegotiation.Choose(context.Request, ResponseFormat.Png);
        var request = await ReadAsync(context, host);
        var grid = GridQuery.Parse(context.Request.Query, request.Count);
        float[] z = Latents(request, metadata.LatentSize);
        float[] images = (await host.RunAsync("sample", (model, cancel) => model.Decode(new LatentBatch(z, request.Count, metadata.LatentSize), cancel),
            context.RequestAborted)).Values;
        await ImageAnswer.WriteAsync(context, format, images, request.Count, metadata, json =>
        {
            json.WriteNumber("seed", request.Seed);
            json.WriteNumber("temperature", request.Temperature);
            JsonAnswer.WriteRows(json, "z", z, metadata.LatentSize);
        }, grid);
    }

    private static async Task HandleLatentsAsync(HttpContext context, ModelHost host)
    {
        int latentSize = host.Metadata.LatentSize;
        ContentNegotiation.RequireJson(context.Request);
        var request = await ReadAsync(context, host);
        float[] z = Latents(request, latentSize);
        await JsonAnswer.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("count", request.Count);
            json.WriteNumber("latentSize", latentSize);
            json.WriteNumber("seed", request.Seed);
            json.WriteNumber("temperature", request.Temperature);
            JsonAnswer.WriteRows(json, "z", z, latentSize);
            json.WriteEndObject();
        });
    }

    private static async Task<Request> ReadAsync(HttpContext context, ModelHost host)
    {
        byte[] body = await RequestBody.ReadOptionalAsync(context, ContentNegotiation.Json, Math.Min(BodyLimit, host.Options.MaxBodyBytes), Example);
        var request = Parse(body, host.Options.MaxCount);
        context.Response.Headers["X-Vae-Seed"] = request.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return request;
    }

    /// <summary>The z a request decodes: (Count, latentSize) draws of N(0, 1) × Temperature from its seed, as VaeModel.SampleLatents.</summary>
    public static float[] Latents(Request request, int latentSize)
    {
        ArgumentNullException.ThrowIfNull(request);
        var z = new float[request.Count * latentSize];
        LatentMath.FillNormal(z, request.Seed, request.Temperature);
        return z;
    }

    /// <summary>Parses a sample body; throws a 400 problem naming the first bad field.</summary>
    public static Request Parse(byte[] body, int maxCount)
    {
        if (body.Length == 0)
            return new Request(1, NewSeed(), 1f);
        using JsonDocument document = JsonInput.ParseObject(body, Example);
        var root = document.RootElement;
        JsonInput.RequireKnownFields(root, "count", "seed", "temperature");
        int count = root.TryGetProperty("count", out var c)
            ? JsonInput.Int32InRange(c, "count", 1, maxCount, "the service's MaxCount")
            : 1;
        ulong seed = root.TryGetProperty("seed", out var s)
            ? JsonInput.UInt64(s, "seed")
            : NewSeed();
        float temperature = 1f;
        if (root.TryGetProperty("temperature", out var t))
        {
            temperature = JsonInput.FiniteFloat(t, "temperature");
            if (temperature <= 0 || VaeModel.TemperatureProblem(temperature) is not null)
                throw RequestProblem.BadRequest($"temperature is {temperature:G6}; it must be above 0 and at most {VaeModel.MaxTemperature}.");
        }
        return new Request(count, seed, temperature);
    }

    private static ulong NewSeed() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
}
