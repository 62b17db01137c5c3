// A body that never changes while the process runs (the page's files, a model's latent points), compressed once with
// Brotli and gzip at their smallest setting and sent in the encoding the client asks for (Accept-Encoding, q-values
// honoured; identity when it asks for none or for nothing smaller), with Vary: Accept-Encoding and a strong ETag per
// encoding, so revalidation answers 304 without a body. Compression is chosen per body, once, not per request.
// It does not decide caching policy beyond the ETag (callers set Cache-Control) and does not compress dynamic answers.
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace VaeOnnx.Runtime.AspNetCore.Http;

/// <summary>A fixed body with its Brotli and gzip forms, answered in the encoding the client prefers.</summary>
internal sealed class PrecompressedBody
{
    /// <summary>The Content-Encoding token of Brotli.</summary>
    public const string Brotli = "br";

    /// <summary>The Content-Encoding token of gzip.</summary>
    public const string Gzip = "gzip";

    private readonly byte[]? _brotli;
    private readonly byte[]? _gzip;

    /// <summary>Compresses <paramref name="content"/>; an encoding that does not make it smaller is not offered.</summary>
    public PrecompressedBody(byte[] content, string contentType)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        Content = content;
        ContentType = contentType;
        ETag = "\"" + Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
        _brotli = Smaller(content, stream => new BrotliStream(stream, CompressionLevel.SmallestSize, leaveOpen: true));
        _gzip = Smaller(content, stream => new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true));
    }

    /// <summary>The uncompressed bytes.</summary>
    public byte[] Content { get; }

    /// <summary>The Content-Type sent with every encoding.</summary>
    public string ContentType { get; }

    /// <summary>The strong ETag of the uncompressed bytes; an encoded form's tag adds "-br" or "-gzip" inside the quotes.</summary>
    public string ETag { get; }

    /// <summary>The Brotli form, or null when Brotli does not make the body smaller.</summary>
    public byte[]? BrotliContent => _brotli;

    /// <summary>The gzip form, or null when gzip does not make the body smaller.</summary>
    public byte[]? GzipContent => _gzip;

    /// <summary>
    /// Answers the request with this body: the encoding chosen by <see cref="Choose"/>, its ETag, Vary, and 304 when
    /// If-None-Match already holds that ETag; HEAD gets the headers only. The caller sets any other header first.
    /// </summary>
    public async Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var response = context.Response;
        string? encoding = Choose(request);
        byte[] body = encoding switch
        {
            Brotli => _brotli!,
            Gzip => _gzip!,
            _ => Content,
        };
        string etag = encoding is null ? ETag : ETag[..^1] + "-" + encoding + "\"";
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        response.Headers.ETag = etag;
        if (Matches(request.GetTypedHeaders().IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = ContentType;
        if (encoding is not null) response.Headers.ContentEncoding = encoding;
        response.ContentLength = body.Length;
        if (HttpMethods.IsHead(request.Method)) return;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The encoding to send: the offered one ("br" before "gzip" at equal quality) with the highest non-zero quality in
    /// Accept-Encoding ("*" counts for both), or null (identity) when the header is absent, unparsable or accepts neither.
    /// </summary>
    public string? Choose(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var codings) || codings.Count == 0) return null;
        double brotli = _brotli is null ? 0 : Quality(codings, Brotli);
        double gzip = _gzip is null ? 0 : Quality(codings, Gzip);
        if (brotli <= 0 && gzip <= 0) return null;
        return brotli >= gzip ? Brotli : Gzip;
    }

    // The quality of the coding's own entry, else of "*", else 0 (RFC 9110 section 12.5.3).
    private static double Quality(IList<StringWithQualityHeaderValue> codings, string coding)
    {
        double? wildcard = null;
        foreach (var entry in codings)
        {
            if (entry.Value.Equals(coding, StringComparison.OrdinalIgnoreCase)) return entry.Quality ?? 1.0;
            if (entry.Value.Equals("*", StringComparison.Ordinal)) wildcard = entry.Quality ?? 1.0;
        }
        return wildcard ?? 0;
    }

    /// <summary>If-None-Match uses the weak comparison (RFC 9110 13.1.2): "*" or any tag whose opaque value matches.</summary>
    private static bool Matches(IList<EntityTagHeaderValue> ifNoneMatch, string etag)
    {
        var current = new EntityTagHeaderValue(etag);
        foreach (var tag in ifNoneMatch)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(current, useStrongComparison: false)) return true;
        }
        return false;
    }

    private static byte[]? Smaller(byte[] content, Func<Stream, Stream> compressor)
    {
        using var buffer = new MemoryStream();
        using (var stream = compressor(buffer))
        {
            stream.Write(content);
        }
        return buffer.Length < content.Length ? buffer.ToArray() : null;
    }
}
