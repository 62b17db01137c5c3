// POST /v1/reconstruct: encodes an uploaded PNG (raw body, Content-Type image/png, exactly the model's size and
// channels) and decodes it back. Query: mode=mean (default, decodes mu) or mode=sample with optional seed=u64.
// Answers the reconstruction as a PNG (default) or JSON floats, by Accept.
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.AspNetCore.Http;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

internal static class ReconstructEndpoint
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapPost("/reconstruct", HandleAsync);

    private static async Task HandleAsync(HttpContext context, ModelHost host, ILogger<ModelHost> logger)
    {
        var metadata = host.Metadata;
        var format = ContentNegotiation.Choose(context.Request, ResponseFormat.Png);
        var (mode, seed) = ParseQuery(context.Request.Query);
        float[] image = await ImageInput.ReadAsync(context, host, logger);
        float[] reconstruction = (await host.RunAsync("reconstruct",
            (model, cancel) => model.Reconstruct(new ImageBatch(image, 1, metadata.Channels, metadata.Height, metadata.Width), mode, seed, cancel),
            context.RequestAborted)).Values;
        await ImageAnswer.WriteAsync(context, format, reconstruction, 1, metadata);
    }

    private static (ReconstructionMode Mode, ulong Seed) ParseQuery(IQueryCollection query)
    {
        var mode = ReconstructionMode.Mean;
        string? modeText = query["mode"];
        if (modeText is not null)
        {
            mode = modeText.ToLowerInvariant() switch
            {
                "mean" => ReconstructionMode.Mean,
                "sample" => ReconstructionMode.Sampled,
                _ => throw RequestProblem.BadRequest($"mode is '{(modeText.Length > 20 ? modeText[..20] + "..." : modeText)}'; use mode=mean or mode=sample."),
            };
        }
        ulong seed = 0;
        string? seedText = query["seed"];
        if (seedText is not null && !ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out seed))
            throw RequestProblem.BadRequest($"seed must be an integer from 0 to {ulong.MaxValue}.");
        return (mode, seed);
    }
}
