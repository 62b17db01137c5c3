// Reads a request body into memory under a byte limit, after checking its Content-Type, for endpoints that need the
// whole body before they can act (JSON documents, image files). A refused body is still read and discarded up to twice
// the limit, so the client gets its 413/415 on a connection that stays usable; beyond that the answer says
// "Connection: close", because Kestrel would otherwise drop a connection the client believes is reusable, and
// ProblemMiddleware lingers on the rest of the body so the answer arrives before the close. While this reads, the limit
// is this class's (the smaller of the endpoint's and Kestrel's): Kestrel's own per-request limit is lifted for the
// request, since Kestrel refuses every read past it and the lingering read could not drain the body.
// It does not interpret the bytes.
using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal static class RequestBody
{
    private const string ConsumedKey = "VaeOnnx.Serving.BodyConsumed";

    // Kestrel's per-request limit before LiftWireLimit lifted it (null: none), for the checks that depend on it.
    private const string WireLimitKey = "VaeOnnx.Serving.WireLimit";

    /// <summary>
    /// Returns the body, at most <paramref name="limit"/> bytes. Throws a 413 problem when it is larger (by Content-Length
    /// or while reading a chunked body), 415 when the Content-Type is not <paramref name="mediaType"/>, 400 when it is empty.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpContext context, string mediaType, long limit, string example) =>
        (await ReadAsync(context, [mediaType], limit, example).ConfigureAwait(false)).Body;

    /// <summary>
    /// As <see cref="ReadAsync(HttpContext, string, long, string)"/> for endpoints whose every field is optional: an empty
    /// body (with or without a Content-Type) is returned as an empty array instead of refused.
    /// </summary>
    public static async Task<byte[]> ReadOptionalAsync(HttpContext context, string mediaType, long limit, string example) =>
        (await ReadAsync(context, [mediaType], limit, example, allowEmpty: true).ConfigureAwait(false)).Body;

    /// <summary>
    /// As <see cref="ReadAsync(HttpContext, string, long, string)"/> for endpoints that take any of
    /// <paramref name="mediaTypes"/>; returns the body and which of them the Content-Type named.
    /// </summary>
    public static Task<(byte[] Body, string MediaType)> ReadAsync(HttpContext context, IReadOnlyList<string> mediaTypes, long limit, string example) =>
        ReadAsync(context, mediaTypes, limit, example, allowEmpty: false);

    private static async Task<(byte[] Body, string MediaType)> ReadAsync(HttpContext context, IReadOnlyList<string> mediaTypes, long limit, string example,
        bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(mediaTypes);
        var request = context.Request;
        string expected = string.Join(" or ", mediaTypes);
        // One limit, one message: an embedding app's smaller Kestrel limit is the effective one, and a body is judged
        // against it the same way whether its size is declared (Content-Length) or found while reading (chunked).
        limit = EffectiveLimit(context, limit);
        long drainCap = DrainCap(context, limit);
        if (request.Headers.ContainsKey(HeaderNames.TransferEncoding) && request.Headers.ContainsKey(HeaderNames.ContentLength))
        {
            // RFC 9112 6.3: a request with both is a framing ambiguity (the stuff of request smuggling); refuse and close.
            context.Items[ProblemMiddleware.CloseConnectionKey] = true;
            throw RequestProblem.BadRequest("The request has both Content-Length and Transfer-Encoding; send one of them (the body's length, or chunked encoding).");
        }
        LiftWireLimit(context);
        if (request.ContentLength > limit)
        {
            await DiscardAsync(context, drainCap).ConfigureAwait(false);
            throw RequestProblem.PayloadTooLarge(limit, $"The body ({request.ContentLength} bytes by Content-Length)");
        }

        bool typeGiven = !string.IsNullOrWhiteSpace(request.ContentType);
        string? matched = typeGiven ? mediaTypes.FirstOrDefault(m => HasMediaType(request.ContentType!, m)) : null;
        if (typeGiven && matched is null)
        {
            await DiscardAsync(context, drainCap).ConfigureAwait(false);
            throw RequestProblem.UnsupportedMediaType(request.ContentType, expected);
        }

        byte[]? body = await ReadLimitedAsync(context, limit, drainCap).ConfigureAwait(false);
        if (body is null)
            throw RequestProblem.PayloadTooLarge(limit, "The body");
        if (body.Length == 0 && allowEmpty)
            return (body, mediaTypes[0]);
        if (body.Length == 0)
            throw RequestProblem.BadRequest($"The request body is missing; send {expected}, for example {example}.");
        if (matched is null)
            throw RequestProblem.UnsupportedMediaType(null, expected);
        return (body, matched);
    }

    public static bool HasMediaType(string contentType, string mediaType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && string.Equals(parsed.MediaType.Value, mediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when an error answer must close the connection: the body was not read here and may be more than Kestrel
    /// can drain afterwards (chunked, or over its limit), in which case Kestrel would drop the connection silently.
    /// </summary>
    public static bool UnreadBodyMayBlockReuse(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.ContainsKey(ConsumedKey)) return false;
        var request = context.Request;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false }) return false;
        if (request.ContentLength == 0) return false;
        long? wireLimit = WireLimit(context);
        return request.ContentLength is null || (wireLimit is long cap && request.ContentLength > cap);
    }

    // This class bounds what it reads itself (limit, then drainCap); Kestrel's limit would make every later read throw.
    private static void LiftWireLimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } wire)
        {
            context.Items[WireLimitKey] = wire.MaxRequestBodySize;
            wire.MaxRequestBodySize = null;
        }
    }

    private static long? WireLimit(HttpContext context) => context.Items.TryGetValue(WireLimitKey, out object? lifted)
        ? (long?)lifted
        : context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;

    private static long EffectiveLimit(HttpContext context, long limit)
    {
        long? wireLimit = WireLimit(context);
        return Math.Min(wireLimit ?? long.MaxValue, limit);
    }

    // Discarding costs at most this much reading; Kestrel's own limit (which ServeHost sets to 2 x MaxBodyBytes) caps it too.
    private static long DrainCap(HttpContext context, long limit)
    {
        long? wireLimit = WireLimit(context);
        return Math.Min(wireLimit ?? long.MaxValue, 2 * limit);
    }

    /// <summary>Reads the body; null when it is over <paramref name="limit"/> (the rest is then discarded, see DiscardAsync).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpContext context, long limit, long drainCap)
    {
        // A declared length is read into one buffer of that size (+1 to see a body longer than declared); only a chunked
        // body grows by doubling. Fewer size classes rented per request keep the shared pool's retained arrays few.
        long initial = context.Request.ContentLength is long declared ? declared + 1 : 16 * 1024;
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(initial, 1, limit + 1));
        try
        {
            long length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, (int)length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int read = await ReadAsync(context, buffer.AsMemory((int)length), limit).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
                if (length > limit)
                {
                    await DiscardAsync(context, drainCap - length).ConfigureAwait(false);
                    return null;
                }
            }
            context.Items[ConsumedKey] = true;
            return buffer.AsSpan(0, (int)length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads and drops the rest of the body, up to <paramref name="budget"/> bytes; past that, asks for the connection to close.</summary>
    private static async Task DiscardAsync(HttpContext context, long budget)
    {
        if (context.Request.ContentLength is long declared && declared > budget)
        {
            CloseAfterAnswer(context);
            return;
        }
        byte[] scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long discarded = 0;
            int read;
            while ((read = await DiscardReadAsync(context, scratch).ConfigureAwait(false)) > 0)
            {
                discarded += read;
                if (discarded > budget)
                {
                    CloseAfterAnswer(context);
                    return;
                }
            }
            context.Items[ConsumedKey] = true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    // While discarding a body already refused, Kestrel's wire limit only ends the drain: the answer keeps citing the
    // limit the body was refused for (a chunked body over it used to cite the wire limit instead).
    private static async Task<int> DiscardReadAsync(HttpContext context, Memory<byte> destination)
    {
        try
        {
            return await context.Request.Body.ReadAsync(destination, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            CloseAfterAnswer(context);
            return 0;
        }
    }

    private static async Task<int> ReadAsync(HttpContext context, Memory<byte> destination, long limit)
    {
        try
        {
            return await context.Request.Body.ReadAsync(destination, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's wire limit (at least the effective limit): Kestrel reads a chunked body ahead of us, so it can
            // see the wire limit pass before we see ours. The body is over both; cite the one limit the client must meet.
            CloseAfterAnswer(context);
            throw RequestProblem.PayloadTooLarge(limit, "The body");
        }
    }

    private static void CloseAfterAnswer(HttpContext context) => context.Items[ProblemMiddleware.CloseConnectionKey] = true;
}
