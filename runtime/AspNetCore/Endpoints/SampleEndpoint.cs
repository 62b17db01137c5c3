// POST /v1/sample: draws images from the prior. Body {"count": 1..MaxCount, "seed": u64, "temperature": (0, VaeModel.MaxTemperature = 10]},
// all optional (an empty body or {} samples one image at temperature 1 from a server-chosen seed, returned in X-Vae-Seed).
// Answers a PNG grid (default) or JSON floats, by Accept. It does not stream partial batches.
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

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapPost("/sample", HandleAsync);

    public sealed record Request(int Count, ulong Seed, float Temperature);

    private static async Task HandleAsync(HttpContext context, ModelHost host)
    {
        var metadata = host.Metadata;
        var format = ContentNegotiation.Choose(context.Request, ResponseFormat.Png);
        byte[] body = await RequestBody.ReadOptionalAsync(context, ContentNegotiation.Json, Math.Min(BodyLimit, host.Options.MaxBodyBytes), Example);
        var request = Parse(body, host.Options.MaxCount);
        float[] images = (await host.RunAsync("sample", (model, cancel) => model.Sample(request.Count, request.Seed, request.Temperature, cancel),
            context.RequestAborted)).Values;
        context.Response.Headers["X-Vae-Seed"] = request.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ImageAnswer.WriteAsync(context, format, images, request.Count, metadata, json =>
        {
            json.WriteNumber("seed", request.Seed);
            json.WriteNumber("temperature", request.Temperature);
        });
    }

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
