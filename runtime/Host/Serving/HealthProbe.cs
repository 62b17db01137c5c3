// One GET of a running service's liveness path (/healthz), for probes that have no HTTP client of their own: the
// container image's HEALTHCHECK runs `vaeonnx-runtime health` (the runtime-deps base image has no curl or wget). The
// default address is the one `serve` listens on (ASPNETCORE_URLS, else ASPNETCORE_HTTP_PORTS as in that image, else
// ServeHost.DefaultUrl), on loopback. It does not start, stop or configure anything.
using System.Globalization;
using System.Text.RegularExpressions;

namespace VaeOnnx.Runtime.Host.Serving;

public static partial class HealthProbe
{
    /// <summary>The liveness path the service maps (runtime/AspNetCore/Endpoints/HealthEndpoints).</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>How long one probe waits for the whole answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where a local probe finds the service, in Kestrel's order: the first http:// address of <paramref name="urls"/>
    /// (ASPNETCORE_URLS; a wildcard host * + 0.0.0.0 [::] becomes 127.0.0.1), else the first port of
    /// <paramref name="httpPorts"/> (ASPNETCORE_HTTP_PORTS, as in Microsoft's container images and ours) on 127.0.0.1,
    /// else ServeHost.DefaultUrl; with <see cref="LivenessPath"/> appended.
    /// </summary>
    public static Uri DefaultUrl(string? urls, string? httpPorts)
    {
        string? address = Split(urls).FirstOrDefault(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (address is not null && Uri.TryCreate(Wildcard().Replace(address, "${scheme}127.0.0.1"), UriKind.Absolute, out var parsed))
        {
            return new Uri(parsed, LivenessPath);
        }
        string? first = Split(httpPorts).FirstOrDefault();
        if (first is not null && int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535)
        {
            return new Uri($"http://127.0.0.1:{port}{LivenessPath}");
        }
        return new Uri(new Uri(ServeHost.DefaultUrl), LivenessPath);
    }

    private static string[] Split(string? list) => list?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    [GeneratedRegex(@"^(?<scheme>https?://)(\*|\+|0\.0\.0\.0|\[::\])(?=[:/]|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Wildcard();

    /// <summary>
    /// GETs <paramref name="url"/>; returns null when it answered 2xx, otherwise one line saying what happened (the
    /// status, no answer within <see cref="Timeout"/>, or why it could not connect).
    /// </summary>
    public static async Task<string?> ProblemAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"GET {url} got no answer within {Timeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException e)
        {
            return $"GET {url} failed: {e.Message.TrimEnd('.')}; is the service running and listening there?";
        }
    }
}
