// The model explorer page's files (wwwroot/: index.html, the ES modules, app.css, favicon.svg), read once from the
// assembly's embedded resources, each with its content type, a strong ETag (SHA-256 of its bytes) and its Brotli and
// gzip forms (PrecompressedBody, compressed once at first use). It does not serve them (VaeUiExtensions does) and
// reads nothing from disk, so the page works from a single deployed assembly, offline.
using System.Collections.Frozen;
using VaeOnnx.Runtime.AspNetCore.Http;

namespace VaeOnnx.Runtime.AspNetCore.Ui;

/// <summary>One embedded file of the page.</summary>
/// <param name="Name">The file name, e.g. "app.js".</param>
/// <param name="Body">Its bytes, content type, ETag and compressed forms.</param>
internal sealed record UiAsset(string Name, PrecompressedBody Body)
{
    /// <summary>The Content-Type the file is answered with.</summary>
    public string ContentType => Body.ContentType;

    /// <summary>The file's bytes, uncompressed.</summary>
    public byte[] Content => Body.Content;

    /// <summary>The strong ETag of the uncompressed bytes.</summary>
    public string ETag => Body.ETag;
}

/// <summary>The page's embedded files.</summary>
internal static class UiAssets
{
    /// <summary>The prefix of the resources' logical names (set by the EmbeddedResource item in the project file).</summary>
    public const string ResourcePrefix = "VaeOnnx.Ui/";

    /// <summary>The page itself, answered at the mapped root.</summary>
    public const string IndexName = "index.html";

    private static readonly Lazy<FrozenDictionary<string, UiAsset>> Catalogue = new(Load);

    /// <summary>Every embedded file by name (e.g. "app.js"), ordinal and case-sensitive like URL paths.</summary>
    public static FrozenDictionary<string, UiAsset> All => Catalogue.Value;

    /// <summary>The page's index.html.</summary>
    public static UiAsset Index => All.TryGetValue(IndexName, out var index)
        ? index
        : throw new InvalidOperationException($"The page's {IndexName} is not embedded in {typeof(UiAssets).Assembly.GetName().Name}; the build lost its EmbeddedResource items.");

    /// <summary>The content type for a file name; only the kinds the page ships are known.</summary>
    public static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        var other => throw new InvalidOperationException($"The page file '{name}' has an extension ('{other}') the UI does not serve; add its content type to UiAssets.ContentTypeOf."),
    };

    private static FrozenDictionary<string, UiAsset> Load()
    {
        var assembly = typeof(UiAssets).Assembly;
        var assets = new Dictionary<string, UiAsset>(StringComparer.Ordinal);
        foreach (string resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            string name = resource[ResourcePrefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            assets.Add(name, new UiAsset(name, new PrecompressedBody(buffer.ToArray(), ContentTypeOf(name))));
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
