// GET /v1/latents/points: the model's latent points (latent-points.json: posterior means of test images with their
// labels) and, for latent sizes of 2 or more, their principal plane (PrincipalPlane: mean, first two directions and
// their variances), so a client can draw the data on a latent map in two chosen dimensions or in the PCA plane. JSON:
// {"latentSize", "count", "source", "labelNames": [...], "labels": [...], "points": [[L floats], ...],
//  "principal": {"mean": [L], "first": [L], "second": [L], "firstVariance", "secondVariance", "totalVariance"} | null}.
// Built once per loaded model and sent compressed when the client accepts it, with an ETag (PrecompressedBody).
// 404 (a problem saying how to get one) when the model folder has no latent-points.json.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VaeOnnx.Runtime.AspNetCore.Http;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.LatentMap;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

/// <summary>GET /v1/latents/points.</summary>
internal static class LatentPointsEndpoint
{
    private static readonly ConditionalWeakTable<LatentPoints, PrecompressedBody> Answers = [];

    /// <summary>Maps GET /latents/points.</summary>
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapGet("/latents/points", HandleAsync);

    private static Task HandleAsync(HttpContext context, ModelHost host)
    {
        ContentNegotiation.RequireJson(context.Request);
        var points = host.LatentPoints ?? throw RequestProblem.NotFound(
            $"This model folder has no {LatentPoints.FileName}; export the model with the VaeOnnx trainer (train or export writes it beside the graphs) to get the latent map's points.");
        context.Response.Headers.CacheControl = "no-cache";
        return Answers.GetValue(points, p => new PrecompressedBody(ToJson(p), ContentNegotiation.Json)).WriteAsync(context);
    }

    /// <summary>The answer's JSON for <paramref name="points"/>.</summary>
    public static byte[] ToJson(LatentPoints points)
    {
        ArgumentNullException.ThrowIfNull(points);
        PrincipalPlane? plane = points.LatentSize >= 2 && points.Count >= 2 ? PrincipalPlane.Of(points.Means, points.Count, points.LatentSize) : null;
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("latentSize", points.LatentSize);
            json.WriteNumber("count", points.Count);
            json.WriteString("source", points.Source);
            json.WriteStartArray("labelNames");
            foreach (string name in points.LabelNames) json.WriteStringValue(name);
            json.WriteEndArray();
            json.WriteStartArray("labels");
            foreach (int label in points.Labels) json.WriteNumberValue(label);
            json.WriteEndArray();
            JsonAnswer.WriteRows(json, "points", points.Means, points.LatentSize);
            if (plane is null)
            {
                json.WriteNull("principal");
            }
            else
            {
                json.WriteStartObject("principal");
                JsonAnswer.WriteArray(json, "mean", plane.Mean);
                JsonAnswer.WriteArray(json, "first", plane.First);
                JsonAnswer.WriteArray(json, "second", plane.Second);
                json.WriteNumber("firstVariance", plane.FirstVariance);
                json.WriteNumber("secondVariance", plane.SecondVariance);
                json.WriteNumber("totalVariance", plane.TotalVariance);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
