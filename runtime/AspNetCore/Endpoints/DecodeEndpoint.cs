// POST /v1/decode: decodes caller-chosen latent vectors. Body {"z": [[L floats], ...]} with 1..MaxBatch rows of exactly
// the model's latent size, every value a finite float32 within ±VaeModel.MaxLatentMagnitude (400 naming the bound). Answers a PNG grid (default;
// layout by the query's columns and padding, GridQuery) or JSON floats, by Accept.
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VaeOnnx.Runtime.AspNetCore.Http;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

internal static class DecodeEndpoint
{
    public const string Example = """{"z": [[0.1, -0.3, ...], ...]}""";

    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapPost("/decode", HandleAsync);

    private static async Task HandleAsync(HttpContext context, ModelHost host)
    {
        var metadata = host.Metadata;
        var format = ContentNegotiation.Choose(context.Request, ResponseFormat.Png);
        byte[] body = await RequestBody.ReadAsync(context, ContentNegotiation.Json, host.Options.MaxBodyBytes, Example);
        float[] z = Parse(body, metadata.LatentSize, host.Options.MaxBatch, out int count);
        var grid = GridQuery.Parse(context.Request.Query, count);
        float[] images = (await host.RunAsync("decode", (model, cancel) => model.Decode(new LatentBatch(z, count, metadata.LatentSize), cancel),
            context.RequestAborted)).Values;
        await ImageAnswer.WriteAsync(context, format, images, count, metadata, grid: grid);
    }

    /// <summary>The rows of "z" as one (count, latentSize) array.</summary>
    public static float[] Parse(byte[] body, int latentSize, int maxBatch, out int count)
    {
        using JsonDocument document = JsonInput.ParseObject(body, Example);
        var root = document.RootElement;
        JsonInput.RequireKnownFields(root, "z");
        if (!root.TryGetProperty("z", out var rows))
            throw RequestProblem.BadRequest($"The field 'z' is missing; send {Example} with rows of {latentSize} numbers.");
        if (rows.ValueKind != JsonValueKind.Array)
            throw RequestProblem.BadRequest($"z is a JSON {JsonInput.Describe(rows.ValueKind)}; it must be an array of rows of {latentSize} numbers.");
        count = rows.GetArrayLength();
        if (count == 0 || count > maxBatch)
            throw RequestProblem.BadRequest($"z has {count} rows; send 1 to {maxBatch} rows (the service's MaxBatch).");

        var z = new float[count * latentSize];
        int n = 0;
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
                throw RequestProblem.BadRequest($"z[{n}] is a JSON {JsonInput.Describe(row.ValueKind)}; each row must be an array of {latentSize} numbers (for one vector send {{\"z\": [[...]]}}).");
            int length = row.GetArrayLength();
            if (length != latentSize)
                throw RequestProblem.BadRequest($"z[{n}] has {length} values; this model's latent size is {latentSize}.");
            int i = 0;
            foreach (var value in row.EnumerateArray())
            {
                z[n * latentSize + i] = JsonInput.Latent(value, $"z[{n}][{i}]");
                i++;
            }
            n++;
        }
        return z;
    }
}
