// Writes a JSON answer only once it is complete: the document is serialized into memory first, then sent with its
// Content-Length, so a failure while building it (a value JSON cannot hold, a bug) becomes a problem answer instead of
// a 200 whose body is cut. Callers check model output for NaN and infinity before writing (RequireFinite), so such a
// model is reported as the model's fault. It does not choose formats or status codes.
using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal static class JsonAnswer
{
    /// <summary>Serializes with <paramref name="write"/> into memory, then sends it as application/json.</summary>
    public static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }
        var response = context.Response;
        response.ContentType = ContentNegotiation.Json;
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Throws ModelOutputException (the model's fault) when an output the answer would carry is NaN or infinite.</summary>
    public static void RequireFinite(ReadOnlySpan<float> values, string what, int rowSize) =>
        ModelOutputException.ThrowIfNotFinite(values, "the model", what, rowSize);
}
