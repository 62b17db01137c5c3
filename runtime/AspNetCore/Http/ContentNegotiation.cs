// Picks the answer's media type from the Accept header (image/png or application/json, honouring q-values and
// wildcards) for endpoints that can answer either. It does not write bodies.
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal enum ResponseFormat { Png, Json }

internal static class ContentNegotiation
{
    public const string Png = "image/png";
    public const string Json = "application/json";

    /// <summary>
    /// The format the client prefers; <paramref name="fallback"/> when Accept is absent, unparsable, or ranks both equally.
    /// Throws a 406 problem when Accept rules out both formats.
    /// </summary>
    public static ResponseFormat Choose(HttpRequest request, ResponseFormat fallback)
    {
        ArgumentNullException.ThrowIfNull(request);
        string accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept)) return fallback;
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges) || ranges.Count == 0) return fallback;

        double png = Quality(ranges, "image", "png");
        double json = Quality(ranges, "application", "json");
        if (png <= 0 && json <= 0) throw RequestProblem.NotAcceptable(accept, $"{Png} or {Json}");
        if (png == json) return fallback;
        return png > json ? ResponseFormat.Png : ResponseFormat.Json;
    }

    /// <summary>For JSON-only endpoints: throws a 406 problem when Accept rules out application/json.</summary>
    public static void RequireJson(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept)) return;
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var ranges) || ranges.Count == 0) return;
        if (Quality(ranges, "application", "json") <= 0) throw RequestProblem.NotAcceptable(accept, Json);
    }

    // The most specific matching range decides the quality (RFC 9110 section 12.5.1); no match means 0.
    private static double Quality(IList<MediaTypeHeaderValue> ranges, string type, string subType)
    {
        int bestSpecificity = -1;
        double quality = 0;
        foreach (var range in ranges)
        {
            bool typeMatches = range.Type.Equals("*", StringComparison.Ordinal) || range.Type.Equals(type, StringComparison.OrdinalIgnoreCase);
            bool subMatches = range.SubType.Equals("*", StringComparison.Ordinal) || range.SubType.Equals(subType, StringComparison.OrdinalIgnoreCase);
            if (!typeMatches || !subMatches) continue;
            int specificity = (range.Type.Equals("*", StringComparison.Ordinal) ? 0 : 1) + (range.SubType.Equals("*", StringComparison.Ordinal) ? 0 : 1);
            if (specificity > bestSpecificity)
            {
                bestSpecificity = specificity;
                quality = range.Quality ?? 1.0;
            }
        }
        return quality;
    }
}
