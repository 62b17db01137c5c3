// MapVaeUi(): answers GET/HEAD at the mapped root ("/", or "/prefix/" inside a route group) with the model explorer
// page and its files at "ui/{name}", all embedded in the assembly (UiAssets). Every answer carries a strict
// Content-Security-Policy (only this origin; no inline script or style, no plugins, no framing), nosniff, no referrer,
// and "Cache-Control: no-cache" with a strong ETag, so browsers revalidate and get 304 until the assembly changes; a
// browser that accepts Brotli or gzip gets the file compressed (PrecompressedBody).
// The page calls the same public /v1 API as any client, relative to where it is mapped, so map it next to MapVae().
// It does not map the API itself, and it adds no authentication: put the same conventions on it as on the API.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace VaeOnnx.Runtime.AspNetCore.Ui;

/// <summary>MapVaeUi: the model explorer page, embedded in the assembly, beside the API MapVae maps.</summary>
public static class VaeUiExtensions
{
    /// <summary>The policy sent with every file of the page: this origin only, nothing inline, nothing embeddable.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'none'; " +
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    /// <summary>
    /// Maps the page at "/" and its files at "/ui/{name}" (relative to <paramref name="endpoints"/>, so a route group's
    /// prefix applies). Returns the group holding both, for conventions such as authorization.
    /// </summary>
    public static RouteGroupBuilder MapVaeUi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _ = UiAssets.Index; // fail at start-up, not on the first visit, if the build lost the embedded files
        var ui = endpoints.MapGroup("");
        ui.MapMethods("/", GetAndHead, ServePageAsync);
        ui.MapMethods("/ui/{name}", GetAndHead, ServeAssetAsync);
        return ui;
    }

    private static Task ServePageAsync(HttpContext context)
    {
        // Inside a group "/vae" the page also matches "/vae"; its relative links need the trailing slash.
        string path = context.Request.Path.Value ?? "/";
        if (!path.EndsWith('/'))
        {
            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = context.Request.PathBase + path + "/" + context.Request.QueryString;
            return Task.CompletedTask;
        }
        return WriteAsync(context, UiAssets.Index);
    }

    private static Task ServeAssetAsync(HttpContext context)
    {
        string name = context.Request.RouteValues["name"] as string ?? "";
        if (name == UiAssets.IndexName || !UiAssets.All.TryGetValue(name, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound; // ProblemMiddleware (when used) writes the problem body
            return Task.CompletedTask;
        }
        return WriteAsync(context, asset);
    }

    private static Task WriteAsync(HttpContext context, UiAsset asset)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return asset.Body.WriteAsync(context);
    }
}
