// Strict readers for JSON request bodies that name the exact field and index that is wrong, so a client can fix its
// request from the 400 alone. Numbers must be finite float32 values: NaN, Infinity and out-of-range literals are
// refused here, not passed to the model; latent values are bounded by VaeModel.MaxLatentMagnitude. A leading UTF-8
// byte-order mark is skipped. It does not know any endpoint's schema; endpoints compose these.
using System.Globalization;
using System.Text.Json;
using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal static class JsonInput
{
    private const int MaxDepth = 8;

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Parses <paramref name="body"/> as a JSON object; throws a 400 problem naming where the syntax breaks.</summary>
    public static JsonDocument ParseObject(byte[] body, string example)
    {
        // A UTF-8 byte-order mark is tolerated (RFC 8259 lets a parser ignore it; some editors and tools write one).
        ReadOnlyMemory<byte> text = body.AsSpan().StartsWith(Utf8ByteOrderMark) ? body.AsMemory(Utf8ByteOrderMark.Length) : body;
        if (!System.Text.Unicode.Utf8.IsValid(text.Span))
            throw RequestProblem.BadRequest($"The body is not valid UTF-8; JSON bodies must be UTF-8 text like {example}.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            string hint = MentionsNonFinite(body)
                ? " NaN and Infinity are not JSON numbers; every value must be a finite number."
                : "";
            throw RequestProblem.BadRequest(
                $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).{hint} Send a JSON object like {example}.");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw RequestProblem.BadRequest($"The body is a JSON {Describe(kind)}; send a JSON object like {example}.");
        }
        return document;
    }

    /// <summary>Throws a 400 problem for a field not in <paramref name="allowed"/> or given twice (a typo must not be silently ignored).</summary>
    public static void RequireKnownFields(JsonElement obj, params string[] allowed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0)
                throw RequestProblem.BadRequest($"Unknown field '{Truncate(property.Name)}'; the allowed fields are {string.Join(", ", allowed)}.");
            if (!seen.Add(property.Name))
                throw RequestProblem.BadRequest($"The field '{property.Name}' is given more than once; give it once.");
        }
    }

    /// <summary>A finite float32; <paramref name="path"/> names the value in the message, e.g. "z[2][7]".</summary>
    public static float FiniteFloat(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Number)
            throw RequestProblem.BadRequest($"{path} is a JSON {Describe(value.ValueKind)}{Quote(value)}; it must be a finite number (NaN and Infinity are not allowed).");
        // float32's own shortest text for its maximum (3.4028235E+38) is a hair above it as a double: judge the value
        // float32 rounds to, so only literals that round to infinity are out of range.
        if (!value.TryGetDouble(out double number) || !float.IsFinite((float)number))
            throw RequestProblem.BadRequest($"{path} = {Truncate(value.GetRawText())} is outside the float32 range (about ±3.4e38); send a finite float32.");
        return (float)number;
    }

    /// <summary>A latent value: a finite float32 within ±VaeModel.MaxLatentMagnitude (the one bound the CLIs apply too).</summary>
    public static float Latent(JsonElement value, string path)
    {
        float z = FiniteFloat(value, path);
        if (MathF.Abs(z) > VaeModel.MaxLatentMagnitude)
            throw RequestProblem.BadRequest(VaeModel.LatentBoundMessage(path, z));
        return z;
    }

    /// <summary>An integer in [min, max]; <paramref name="limitName"/> tells the client which setting bounds it.</summary>
    public static int Int32InRange(JsonElement value, string path, int min, int max, string limitName)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
            throw RequestProblem.BadRequest($"{path} is {Truncate(value.GetRawText())}; it must be an integer from {min} to {max}.");
        if (number < min || number > max)
            throw RequestProblem.BadRequest($"{path} is {number}; it must be from {min} to {max} ({limitName}).");
        return (int)number;
    }

    /// <summary>An unsigned 64-bit integer (seeds), given as a JSON number or a decimal string for clients that lose precision above 2^53.</summary>
    public static ulong UInt64(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out ulong number)) return number;
        if (value.ValueKind == JsonValueKind.String && ulong.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number)) return number;
        throw RequestProblem.BadRequest($"{path} is {Truncate(value.GetRawText())}; it must be an integer from 0 to {ulong.MaxValue}.");
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    private static string Quote(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? $" ({Truncate(value.GetRawText())})" : "";

    private static bool MentionsNonFinite(byte[] body)
    {
        var text = body.AsSpan();
        return text.IndexOf("NaN"u8) >= 0 || text.IndexOf("Infinity"u8) >= 0;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
