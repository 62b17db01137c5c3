// Reads a request body into memory under a byte limit, after checking its Content-Type, for endpoints that need the
// whole body before they can act (JSON documents, PNG files). It does not interpret the bytes.
using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace VaeOnnx.Runtime.Serving.Http;

public static class RequestBody
{
    /// <summary>
    /// Returns the body, at most <paramref name="limit"/> bytes. Throws a 413 problem when it is larger (from Content-Length
    /// before reading anything, or while reading a chunked body), 415 when the Content-Type is not <paramref name="mediaType"/>,
    /// and 400 when the body is empty.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpContext context, string mediaType, long limit, string example)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.ContentLength > limit)
            throw RequestProblem.PayloadTooLarge(limit, $"The body ({request.ContentLength} bytes by Content-Length)");

        // Let Kestrel enforce the same limit on the wire (it cannot be changed once reading started).
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false } && (sizeFeature.MaxRequestBodySize is null || sizeFeature.MaxRequestBodySize > limit))
            sizeFeature.MaxRequestBodySize = limit;

        bool typeGiven = !string.IsNullOrWhiteSpace(request.ContentType);
        if (typeGiven && !HasMediaType(request.ContentType!, mediaType))
            throw RequestProblem.UnsupportedMediaType(request.ContentType, mediaType);

        byte[] body = await ReadLimitedAsync(request.Body, limit, context.RequestAborted).ConfigureAwait(false);
        if (body.Length == 0)
            throw RequestProblem.BadRequest($"The request body is missing; send {mediaType}, for example {example}.");
        if (!typeGiven)
            throw RequestProblem.UnsupportedMediaType(null, mediaType);
        return body;
    }

    public static bool HasMediaType(string contentType, string mediaType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && string.Equals(parsed.MediaType.Value, mediaType, StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadLimitedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    throw RequestProblem.PayloadTooLarge(limit, "The body");
                }
                if (read == 0) break;
                length += read;
                if (length > limit) throw RequestProblem.PayloadTooLarge(limit, "The body");
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
