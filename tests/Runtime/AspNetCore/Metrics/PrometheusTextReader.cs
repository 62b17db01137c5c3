// Test helper: a strict reader of the Prometheus text exposition format (0.0.4), written from the format description
// rather than from the service's writer, so it checks the writer instead of mirroring it. It fails the test on any
// malformed line, a sample before its family's TYPE, or a family declared twice.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Metrics;

public static partial class PrometheusTextReader
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    public static IReadOnlyList<Sample> Parse(string text)
    {
        Assert.That(text, Does.EndWith("\n"), "the exposition ends with a line feed");
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        int lineNumber = 0;
        foreach (string line in text.TrimEnd('\n').Split('\n'))
        {
            lineNumber++;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                Assert.That(parts, Has.Length.EqualTo(4), $"line {lineNumber}: '# TYPE name type'");
                Assert.That(MetricName().IsMatch(parts[2]), $"line {lineNumber}: metric name '{parts[2]}'");
                Assert.That(new[] { "counter", "gauge", "histogram", "summary", "untyped" }, Does.Contain(parts[3]), $"line {lineNumber}: type");
                Assert.That(types.TryAdd(parts[2], parts[3]), $"line {lineNumber}: family {parts[2]} declared twice");
                continue;
            }
            if (line.StartsWith('#')) continue; // HELP and comments
            Assert.That(line, Is.Not.Empty, $"line {lineNumber}: empty line");
            var sample = ParseSample(line, lineNumber);
            string family = FamilyOf(sample.Name, types);
            Assert.That(types.ContainsKey(family), $"line {lineNumber}: sample {sample.Name} has no TYPE line before it");
            samples.Add(sample);
        }
        return samples;
    }

    /// <summary>The value of the one sample with this name and exactly these labels (besides none others).</summary>
    public static double Value(IReadOnlyList<Sample> samples, string name, params (string Name, string Value)[] labels)
    {
        var matches = samples.Where(s => s.Name == name && s.Labels.Count == labels.Length
            && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"exactly one sample {name}{{{string.Join(",", labels.Select(l => $"{l.Name}=\"{l.Value}\""))}}}");
        return matches[0].Value;
    }

    /// <summary>Within each label set, bucket counts never decrease as le grows, and the last le is +Inf.</summary>
    public static void AssertBucketsCumulative(IReadOnlyList<Sample> samples, string bucketName)
    {
        var series = samples.Where(s => s.Name == bucketName)
            .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key).Select(l => $"{l.Key}={l.Value}")));
        foreach (var group in series)
        {
            var buckets = group.ToList();
            Assert.That(buckets[^1].Labels["le"], Is.EqualTo("+Inf"), $"{bucketName}{{{group.Key}}} ends with le=+Inf");
            for (int i = 1; i < buckets.Count; i++)
            {
                Assert.That(ParseValue(buckets[i].Labels["le"]), Is.GreaterThan(ParseValue(buckets[i - 1].Labels["le"])), "le increases");
                Assert.That(buckets[i].Value, Is.GreaterThanOrEqualTo(buckets[i - 1].Value), $"{bucketName}{{{group.Key}}} is cumulative");
            }
        }
    }

    private static Sample ParseSample(string line, int lineNumber)
    {
        int i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ') i++;
        string name = line[..i];
        Assert.That(MetricName().IsMatch(name), $"line {lineNumber}: metric name '{name}'");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                int eq = line.IndexOf('=', i);
                string labelName = line[i..eq];
                Assert.That(LabelName().IsMatch(labelName), $"line {lineNumber}: label name '{labelName}'");
                Assert.That(line[eq + 1], Is.EqualTo('"'), $"line {lineNumber}: label value is quoted");
                var value = new StringBuilder();
                int j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch { 'n' => '\n', '\\' => '\\', '"' => '"', var c => throw new AssertionException($"line {lineNumber}: bad escape \\{c}") });
                    }
                    else value.Append(line[j]);
                }
                Assert.That(labels.TryAdd(labelName, value.ToString()), $"line {lineNumber}: label {labelName} repeated");
                i = j + 1;
                if (line[i] == ',') i++;
            }
            i++;
        }
        Assert.That(i < line.Length && line[i] == ' ', $"line {lineNumber}: a space separates the sample from its value");
        string[] rest = line[(i + 1)..].Split(' ');
        Assert.That(rest.Length, Is.InRange(1, 2), $"line {lineNumber}: value [timestamp]");
        return new Sample(name, labels, ParseValue(rest[0]));
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new AssertionException($"'{text}' is not a Prometheus sample value"),
    };

    private static string FamilyOf(string sampleName, Dictionary<string, string> types)
    {
        if (types.ContainsKey(sampleName)) return sampleName;
        foreach (string suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal))
            {
                string family = sampleName[..^suffix.Length];
                if (types.TryGetValue(family, out var type) && type is "histogram" or "summary") return family;
            }
        }
        return sampleName;
    }
}
