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

    /// <summary>Writes <paramref name="values"/> as the array property <paramref name="name"/>, each float in its shortest round-trip form.</summary>
    public static void WriteArray(Utf8JsonWriter json, string name, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartArray(name);
        foreach (float value in values) json.WriteNumberValue(value);
        json.WriteEndArray();
    }

    /// <summary>Writes (rows, <paramref name="rowSize"/>) row-major <paramref name="values"/> as the property <paramref name="name"/>: an array of arrays.</summary>
    public static void WriteRows(Utf8JsonWriter json, string name, ReadOnlySpan<float> values, int rowSize)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowSize);
        json.WriteStartArray(name);
        for (int start = 0; start < values.Length; start += rowSize)
        {
            json.WriteStartArray();
            foreach (float value in values.Slice(start, rowSize)) json.WriteNumberValue(value);
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    /// <summary>Throws ModelOutputException (the model's fault) when an output the answer would carry is NaN or infinite.</summary>
    public static void RequireFinite(ReadOnlySpan<float> values, string what, int rowSize) =>
        ModelOutputException.ThrowIfNotFinite(values, "the model", what, rowSize);
}
