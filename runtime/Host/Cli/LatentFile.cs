// The text formats of latent vectors: what `encode` writes (JSON or CSV, posterior mu and logvar per input file) and
// what `decode` reads back (the mu of either format, or plain CSV rows of L numbers).
//   JSON: {"model": "...", "latent_size": L, "items": [{"file": "a.png", "mu": [...], "logvar": [...]}, ...]}
//   CSV:  file,mu_0..mu_{L-1},logvar_0..logvar_{L-1}   (one row per file; numbers in invariant, round-trip form)
// It deliberately validates only the structure; the values are checked by VaeModel (finite, right length).
using System.Globalization;
using System.Text;
using System.Text.Json;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Host.Cli;

public static class LatentFile
{
    public static string ToJson(string modelFolder, IReadOnlyList<string> files, EncodedBatch encoded)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", modelFolder);
            writer.WriteNumber("latent_size", encoded.LatentSize);
            writer.WriteStartArray("items");
            for (int n = 0; n < encoded.Count; n++)
            {
                writer.WriteStartObject();
                writer.WriteString("file", files[n]);
                WriteArray(writer, "mu", encoded.Mu.AsSpan(n * encoded.LatentSize, encoded.LatentSize));
                WriteArray(writer, "logvar", encoded.LogVar.AsSpan(n * encoded.LatentSize, encoded.LatentSize));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string ToCsv(IReadOnlyList<string> files, EncodedBatch encoded)
    {
        var text = new StringBuilder();
        text.Append("file");
        for (int j = 0; j < encoded.LatentSize; j++)
        {
            text.Append(CultureInfo.InvariantCulture, $",mu_{j}");
        }
        for (int j = 0; j < encoded.LatentSize; j++)
        {
            text.Append(CultureInfo.InvariantCulture, $",logvar_{j}");
        }
        text.Append('\n');
        for (int n = 0; n < encoded.Count; n++)
        {
            text.Append(CsvField(files[n]));
            foreach (var value in encoded.Mu.AsSpan(n * encoded.LatentSize, encoded.LatentSize))
            {
                text.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }
            foreach (var value in encoded.LogVar.AsSpan(n * encoded.LatentSize, encoded.LatentSize))
            {
                text.Append(',').Append(value.ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Largest latent file read (bytes): 4096 rows of 4096 numbers in CSV, with room to spare.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Reads the latent rows of the file at <paramref name="path"/>; every error names the file.</summary>
    public static (float[] Z, int Count) Read(string path, int latentSize)
    {
        long length = new FileInfo(path).Length;
        string source = UserText.Path(path);
        if (length == 0)
        {
            throw new FormatException($"{source} is empty; give a JSON or CSV file of latent vectors.");
        }
        if (length > MaxFileBytes)
        {
            throw new FormatException($"{source} is {length:N0} bytes; latent files up to {MaxFileBytes >> 20} MiB are read.");
        }
        return Read(Text(File.ReadAllBytes(path), source), latentSize, source);
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // The file's text, or a FormatException saying it is not text: its bytes are never echoed back as mojibake.
    private static string Text(byte[] bytes, string source)
    {
        int zero = Array.IndexOf(bytes, (byte)0);
        try
        {
            if (zero < 0)
            {
                string text = StrictUtf8.GetString(bytes);
                return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
            }
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException($"{source} is not text: byte {e.Index} is not UTF-8; give a JSON or CSV file of latent vectors (what `encode` writes).", e);
        }
        throw new FormatException($"{source} is not text: byte {zero} is a zero byte (a binary file?); give a JSON or CSV file of latent vectors (what `encode` writes).");
    }

    /// <summary>Reads latent rows (count × L values) from JSON or CSV text; <paramref name="source"/> names the file in errors.</summary>
    public static (float[] Z, int Count) Read(string text, int latentSize, string source)
    {
        string start = text.TrimStart();
        if (start.StartsWith('['))
        {
            // A JSON array (however deeply nested) is JSON, not CSV: say what it is rather than quote it as a CSV value.
            using var array = ParseJson(text, source);
            throw new FormatException($"{source} is a JSON array; expected a JSON object with an \"items\" array (what `encode --format json` writes) or CSV rows.");
        }
        var rows = start.StartsWith('{') ? ReadJson(text, source) : ReadCsv(text, source);
        if (rows.Count == 0)
        {
            throw new FormatException($"{source} holds no latent vectors.");
        }
        if (rows.Count > VaeModel.MaxCount)
        {
            throw new FormatException($"{source} holds {rows.Count} latent vectors; one call takes at most {VaeModel.MaxCount}.");
        }
        var z = new float[rows.Count * latentSize];
        for (int n = 0; n < rows.Count; n++)
        {
            if (rows[n].Length != latentSize)
            {
                throw new FormatException($"{source}: latent vector {n} has {rows[n].Length} values; the model's latent size is {latentSize}.");
            }
            rows[n].CopyTo(z, n * latentSize);
        }
        return (z, rows.Count);
    }

    private static List<float[]> ReadJson(string text, string source)
    {
        using var document = ParseJson(text, source);
        if (!document.RootElement.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{source} is JSON without an \"items\" array; expected what `encode --format json` writes.");
        }
        var rows = new List<float[]>();
        foreach (var item in items.EnumerateArray())
        {
            if (!item.TryGetProperty("mu", out var mu) || mu.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{source}: item {rows.Count} has no \"mu\" array.");
            }
            rows.Add(ReadMu(mu, source, rows.Count));
        }
        return rows;
    }

    private static float[] ReadMu(JsonElement mu, string source, int item)
    {
        var values = new float[mu.GetArrayLength()];
        int j = 0;
        foreach (var v in mu.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetSingle(out values[j]))
            {
                throw new FormatException($"{source}: item {item} mu[{j}] is {UserText.Echo(v.GetRawText())}, not a number.");
            }
            j++;
        }
        return values;
    }

    private static JsonDocument ParseJson(string text, string source)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source} is not valid JSON: {JsonErrors.Describe(e)}; expected what `encode --format json` writes.", e);
        }
    }

    private static List<float[]> ReadCsv(string text, string source)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var rows = new List<float[]>();
        if (lines.Count == 0)
        {
            return rows;
        }
        int[]? muColumns = null;
        if (lines[0].StartsWith("file,", StringComparison.Ordinal))
        {
            var header = lines[0].Split(',');
            muColumns = Enumerable.Range(0, header.Length).Where(i => header[i].StartsWith("mu_", StringComparison.Ordinal)).ToArray();
            lines.RemoveAt(0);
        }
        for (int line = 0; line < lines.Count; line++)
        {
            // A quoted file name may hold commas: parse the numbers from the right.
            var fields = lines[line].Split(',');
            IEnumerable<string> numbers = fields;
            if (muColumns != null)
            {
                int offset = fields.Length - (muColumns.Length * 2 + 1);
                numbers = muColumns.Select(i => i + offset < fields.Length && i + offset >= 0 ? fields[i + offset] : "");
            }
            rows.Add(numbers.Select((field, column) => ParseNumber(field, source, line + (muColumns != null ? 2 : 1), column)).ToArray());
        }
        return rows;
    }

    private static float ParseNumber(string field, string source, int line, int column)
    {
        if (!float.TryParse(field.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"{source} line {line}: value {column} is '{UserText.Echo(field)}', not a number.");
        }
        return value;
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, ReadOnlySpan<float> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteNumberValue(value);
        }
        writer.WriteEndArray();
    }

    internal static string CsvField(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
