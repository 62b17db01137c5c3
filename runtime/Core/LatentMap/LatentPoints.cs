// latent-points.json: the posterior means (mu) of a sample of a model's test images, with each image's label and its
// index in the test split, so a latent map can show where real data lies (the service's page plots them). Written by
// the trainer's export beside the graphs (VaeContract.LatentPointsFileName), atomically; read and checked here, with
// messages that say what is wrong and what to do. The format is in README.md beside this file; its names follow the
// contract's policy for files (VaeContract.FileJsonNaming, snake_case).
// It does not encode anything (the trainer computes the means) and does not project them (PrincipalPlane does).
using System.Globalization;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Runtime.Core.LatentMap;

/// <summary>Posterior means of a sample of test images with their labels: the data of a latent map.</summary>
public sealed class LatentPoints
{
    /// <summary>The file's name in a model folder.</summary>
    public const string FileName = VaeContract.LatentPointsFileName;

    /// <summary>The value of the file's "format" field.</summary>
    public const string FormatName = "vaeonnx.latent-points";

    /// <summary>The format version this runtime writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Most points a file may hold (a map needs a few thousand at most; this bounds what a load reads).</summary>
    public const int MaxCount = 100_000;

    /// <summary>Most labels a file may name.</summary>
    public const int MaxLabels = 1000;

    /// <summary>
    /// Checks and keeps the points. <paramref name="means"/> is (count, <paramref name="latentSize"/>) row-major, every
    /// value finite; <paramref name="labels"/> index <paramref name="labelNames"/>; <paramref name="indices"/> are the
    /// images' positions in the test split (non-negative). Throws ArgumentException naming the first problem.
    /// </summary>
    public LatentPoints(int latentSize, float[] means, int[] labels, int[] indices, IReadOnlyList<string> labelNames, string source)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(labelNames);
        ArgumentNullException.ThrowIfNull(source);
        string? problem = Problem(latentSize, means, labels, indices, labelNames);
        if (problem is not null) throw new ArgumentException($"Latent points: {problem}.");
        LatentSize = latentSize;
        Means = means;
        Labels = labels;
        Indices = indices;
        LabelNames = labelNames;
        Source = source;
    }

    /// <summary>L, the length of each mean.</summary>
    public int LatentSize { get; }

    /// <summary>How many points (1 to <see cref="MaxCount"/>).</summary>
    public int Count => Labels.Length;

    /// <summary>The posterior means, (Count, LatentSize) row-major.</summary>
    public float[] Means { get; }

    /// <summary>Each point's label, an index into <see cref="LabelNames"/>.</summary>
    public int[] Labels { get; }

    /// <summary>Each point's index in the split it was taken from (see <see cref="Source"/>).</summary>
    public int[] Indices { get; }

    /// <summary>The names of the labels ("0" to "9" for MNIST).</summary>
    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Where the images came from, in words (e.g. "mnist test split, 1000 of 10000 images, evenly spaced").</summary>
    public string Source { get; }

    /// <summary>The mean of point <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Mean(int index) => Means.AsSpan(index * LatentSize, LatentSize);

    /// <summary>The file's path in <paramref name="modelFolder"/>.</summary>
    public static string PathIn(string modelFolder) => Path.Combine(Path.GetFullPath(modelFolder), FileName);

    /// <summary>Writes <paramref name="modelFolder"/>/latent-points.json atomically; returns its path.</summary>
    public string Save(string modelFolder)
    {
        string path = PathIn(modelFolder);
        AtomicFile.WriteAllBytes(path, ToJson());
        return path;
    }

    /// <summary>The file's bytes: UTF-8 JSON, one point per line, floats in their shortest round-trip form.</summary>
    public byte[] ToJson()
    {
        var text = new StringBuilder();
        string Quoted(string value) => JsonSerializer.Serialize(value);
        text.Append(CultureInfo.InvariantCulture, $"{{\n  \"format\": {Quoted(FormatName)},\n  \"version\": {CurrentVersion},\n");
        text.Append(CultureInfo.InvariantCulture, $"  \"latent_size\": {LatentSize},\n  \"count\": {Count},\n  \"source\": {Quoted(Source)},\n");
        text.Append("  \"label_names\": [").AppendJoin(", ", LabelNames.Select(Quoted)).Append("],\n  \"points\": [\n");
        for (int n = 0; n < Count; n++)
        {
            text.Append(CultureInfo.InvariantCulture, $"    {{\"index\": {Indices[n]}, \"label\": {Labels[n]}, \"mu\": [");
            var mean = Mean(n);
            for (int j = 0; j < mean.Length; j++)
            {
                if (j > 0) text.Append(", ");
                text.Append(mean[j].ToString("R", CultureInfo.InvariantCulture));
            }
            text.Append(n + 1 < Count ? "]},\n" : "]}\n");
        }
        text.Append("  ]\n}\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Reads <paramref name="modelFolder"/>/latent-points.json; null when there is none. Throws InvalidModelException when it is unusable.</summary>
    public static LatentPoints? TryLoad(string modelFolder)
    {
        string path = PathIn(modelFolder);
        if (!File.Exists(path)) return null;
        long length = new FileInfo(path).Length;
        long limit = (long)MaxCount * 64 * 20;
        if (length > limit)
            throw Corrupt(path, $"is {length} bytes, more than a map file can be ({limit})");
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses the file's JSON; <paramref name="path"/> names it in errors (InvalidModelException).</summary>
    public static LatentPoints Parse(ReadOnlySpan<byte> utf8Json, string path)
    {
        if (utf8Json.StartsWith("\uFEFF"u8)) utf8Json = utf8Json[3..]; // a byte-order mark left by an editor
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw Corrupt(path, $"is not valid JSON ({Text.JsonErrors.Describe(e)})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Corrupt(path, $"holds a JSON {Kind(root)}, not an object");
            string format = Field(root, "format", path, JsonValueKind.String).GetString()!;
            if (format != FormatName)
                throw Corrupt(path, $"has format '{format}', not '{FormatName}'");
            int version = Int(Field(root, "version", path, JsonValueKind.Number), "version", path);
            if (version != CurrentVersion)
            {
                throw new InvalidModelException(path,
                    $"{path} is latent-points format version {version}; this runtime reads version {CurrentVersion}. Export the model again with this version's trainer, or delete the file.");
            }
            int latentSize = Int(Field(root, "latent_size", path, JsonValueKind.Number), "latent_size", path);
            int count = Int(Field(root, "count", path, JsonValueKind.Number), "count", path);
            if (latentSize < 1) throw Corrupt(path, $"field 'latent_size' is {latentSize}; expected at least 1");
            if (count is < 1 or > MaxCount) throw Corrupt(path, $"field 'count' is {count}; expected 1 to {MaxCount}");
            string source = Field(root, "source", path, JsonValueKind.String).GetString()!;
            var names = Field(root, "label_names", path, JsonValueKind.Array);
            var labelNames = new List<string>();
            foreach (var name in names.EnumerateArray())
            {
                if (name.ValueKind != JsonValueKind.String)
                    throw Corrupt(path, $"label_names[{labelNames.Count}] is a JSON {Kind(name)}; expected a string");
                labelNames.Add(name.GetString()!);
            }
            var points = Field(root, "points", path, JsonValueKind.Array);
            if (points.GetArrayLength() != count)
                throw Corrupt(path, $"holds {points.GetArrayLength()} points but its field 'count' says {count}");
            var means = new float[(long)count * latentSize <= Array.MaxLength ? count * latentSize : throw Corrupt(path, "is too large")];
            var labels = new int[count];
            var indices = new int[count];
            int n = 0;
            foreach (var point in points.EnumerateArray())
            {
                string at = $"points[{n}]";
                if (point.ValueKind != JsonValueKind.Object) throw Corrupt(path, $"{at} is a JSON {Kind(point)}; expected an object");
                indices[n] = Int(Field(point, "index", path, JsonValueKind.Number, at), $"{at}.index", path);
                labels[n] = Int(Field(point, "label", path, JsonValueKind.Number, at), $"{at}.label", path);
                var mu = Field(point, "mu", path, JsonValueKind.Array, at);
                if (mu.GetArrayLength() != latentSize)
                    throw Corrupt(path, $"{at}.mu has {mu.GetArrayLength()} values; the file's latent_size is {latentSize}");
                int j = 0;
                foreach (var value in mu.EnumerateArray())
                {
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetSingle(out float v) || !float.IsFinite(v))
                        throw Corrupt(path, $"{at}.mu[{j}] is not a finite float32 number");
                    means[n * latentSize + j++] = v;
                }
                n++;
            }
            string? problem = Problem(latentSize, means, labels, indices, labelNames);
            if (problem is not null) throw Corrupt(path, $"is inconsistent: {problem}");
            return new LatentPoints(latentSize, means, labels, indices, labelNames, source);
        }
    }

    /// <summary>Throws InvalidModelException unless the points have the latent size of the model they are served with.</summary>
    public void CheckFits(VaeMetadata metadata, string path)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.LatentSize != LatentSize)
        {
            throw new InvalidModelException(path,
                $"{path} holds {LatentSize}-dimensional points, but the model's latent size is {metadata.LatentSize}: it belongs to another model. Export the model again (it rewrites the file), or delete it.");
        }
    }

    private static string? Problem(int latentSize, float[] means, int[] labels, int[] indices, IReadOnlyList<string> labelNames)
    {
        int count = labels.Length;
        if (latentSize < 1) return $"the latent size is {latentSize}; it must be at least 1";
        if (count is < 1 or > MaxCount) return $"there are {count} points; a map file holds 1 to {MaxCount}";
        if (indices.Length != count) return $"there are {indices.Length} indices for {count} labels; each point needs one of each";
        if (means.Length != (long)count * latentSize) return $"the means hold {means.Length} values; {count} points of size {latentSize} need {(long)count * latentSize}";
        if (labelNames.Count is < 1 or > MaxLabels) return $"there are {labelNames.Count} label names; a map file names 1 to {MaxLabels}";
        for (int i = 0; i < count; i++)
        {
            if (labels[i] < 0 || labels[i] >= labelNames.Count) return $"points[{i}].label is {labels[i]}; it must index the {labelNames.Count} label names (0 to {labelNames.Count - 1})";
            if (indices[i] < 0) return $"points[{i}].index is {indices[i]}; it must be 0 or more";
        }
        for (int i = 0; i < means.Length; i++)
        {
            if (!float.IsFinite(means[i])) return $"points[{i / latentSize}].mu[{i % latentSize}] is {means[i]}; every mean must be finite";
        }
        return null;
    }

    private static JsonElement Field(JsonElement parent, string name, string path, JsonValueKind kind, string? at = null)
    {
        string where = at is null ? $"field '{name}'" : $"{at}.{name}";
        if (!parent.TryGetProperty(name, out var value)) throw Corrupt(path, $"lacks the {where}");
        if (value.ValueKind != kind) throw Corrupt(path, $"{where} is a JSON {Kind(value)}; expected a {kind.ToString().ToLowerInvariant()}");
        return value;
    }

    private static int Int(JsonElement value, string name, string path) =>
        value.TryGetInt32(out int result) ? result : throw Corrupt(path, $"{name} is not a whole number");

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

    private static InvalidModelException Corrupt(string path, string what) =>
        new(path, $"{path} {what}; it is not a usable latent-points file. Export the model again (it rewrites the file), or delete it.");
}
