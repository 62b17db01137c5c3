// GET /v1/model: what the served model takes and gives (image shape, latent size, likelihood, its metadata
// properties), its model card (the informative metadata, read here by VaeContract's keys so no client spells them),
// its anomaly calibration (null when there is no calibration.json), how many latent points it has for the map (0 when
// there is no latent-points.json), its example images, and the service's request limits, so clients can size their
// requests. 503 until the model is loaded.
using System.Globalization;
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
        IReadOnlyDictionary<string, string> Properties, Card Card, Calibration? Calibration, LatentMapInfo LatentMap, IReadOnlyList<Example> Examples,
        Limits Limits);

    /// <summary>Where the model came from, from its informative metadata; null where the model does not say.</summary>
    public sealed record Card(string? Architecture, string? Dataset, int? Epochs, double? TestLoss, double? GaussianSigma, string? ProducerVersion);

    /// <summary>What GET /v1/latents/points has for this model: how many points (0: none, the endpoint answers 404) and labels.</summary>
    public sealed record LatentMapInfo(int Points, IReadOnlyList<string> LabelNames);

    /// <summary>An example image: its file name (GET /v1/examples/{name}) and caption.</summary>
    public sealed record Example(string Name, string Label);

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
        var points = host.LatentPoints;
        var map = new LatentMapInfo(points?.Count ?? 0, points?.LabelNames ?? []);
        var examples = host.Examples.Select(e => new Example(e.Name, e.Label)).ToArray();
        return TypedResults.Json(new ModelInfo(m.Channels, m.Height, m.Width, m.LatentSize, VaeContract.LikelihoodText(m.Likelihood), properties,
            CardOf(m), calibration, map, examples, limits));
    }

    /// <summary>The card fields of <paramref name="metadata"/>'s properties (VaeContract's informative keys); a missing or unreadable value is null.</summary>
    public static Card CardOf(VaeMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var p = metadata.Properties;
        string? Text(string key) => p.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        double? Number(string key) => double.TryParse(Text(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v : null;
        int? Whole(string key) => int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
        return new Card(Text(VaeContract.ArchitectureKey), Text(VaeContract.DatasetKey), Whole(VaeContract.EpochsKey), Number(VaeContract.TestLossKey),
            Number(VaeContract.GaussianSigmaKey), Text(VaeContract.ProducerVersionKey));
    }
}
