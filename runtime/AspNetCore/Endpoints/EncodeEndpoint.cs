// POST /v1/encode: encodes an uploaded PNG (raw body, Content-Type image/png, exactly the model's size and channels)
// and answers JSON {"latentSize": L, "mu": [L floats], "logvar": [L floats]}. It answers JSON only.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.AspNetCore.Http;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

internal static class EncodeEndpoint
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapPost("/encode", HandleAsync);

    private static async Task HandleAsync(HttpContext context, ModelHost host, ILogger<ModelHost> logger)
    {
        var metadata = host.Metadata;
        ContentNegotiation.RequireJson(context.Request);
        float[] image = await ImageInput.ReadAsync(context, host, logger);
        EncodedBatch encoded = await host.RunAsync("encode", (model, cancel) => model.Encode(new ImageBatch(image, 1, metadata.Channels, metadata.Height, metadata.Width), cancel),
            context.RequestAborted);

        JsonAnswer.RequireFinite(encoded.Mu, "its mu", encoded.LatentSize);
        JsonAnswer.RequireFinite(encoded.LogVar, "its logvar", encoded.LatentSize);
        await JsonAnswer.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("latentSize", encoded.LatentSize);
            JsonAnswer.WriteArray(json, "mu", encoded.Mu);
            JsonAnswer.WriteArray(json, "logvar", encoded.LogVar);
            json.WriteEndObject();
        });
    }
}
