// GET /v1/model: what the served model takes and gives (image shape, latent size, likelihood, its metadata
// properties), its anomaly calibration (null when there is no calibration.json) and the service's request limits, so
// clients can size their requests. 503 until the model is loaded.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VaeOnnx.Runtime.AspNetCore.Http;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

internal static class ModelEndpoint
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder v1) => v1.MapGet("/model", Handle);

    public sealed record ModelInfo(int Channels, int Height, int Width, int LatentSize, string Likelihood,
        IReadOnlyDictionary<string, string> Properties, Calibration? Calibration, Limits Limits);

    /// <summary>The threshold /v1/score flags with, and the settings its scores must be computed with.</summary>
    public sealed record Calibration(string ScoreKind, int Samples, ulong Seed, double Percentile, double Threshold, int Count);

    public sealed record Limits(int MaxCount, int MaxBatch, long MaxBodyBytes, double RequestTimeoutSeconds,
        int MaxConcurrentInference, int MaxQueuedInference, int MaxScoreSamples);

    private static IResult Handle(HttpContext context, ModelHost host)
    {
        ContentNegotiation.RequireJson(context.Request);
        var m = host.Metadata;
        var o = host.Options;
        var limits = new Limits(o.MaxCount, o.MaxBatch, o.MaxBodyBytes, o.RequestTimeout.TotalSeconds, o.MaxConcurrentInference, o.MaxQueuedInference,
            o.MaxScoreSamples);
        var c = host.Calibration;
        var calibration = c is null ? null : new Calibration(Core.Scoring.ScoreKindNames.ToName(c.Kind), c.Samples, c.Seed, c.Percentile, c.Threshold, c.Count);
        var properties = new SortedDictionary<string, string>(m.Properties.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        return TypedResults.Json(new ModelInfo(m.Channels, m.Height, m.Width, m.LatentSize, VaeContract.LikelihoodText(m.Likelihood), properties, calibration, limits));
    }
}
