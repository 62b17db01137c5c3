// What the export leaves beside the graphs for the service's latent map and example list: latent-points.json (the
// posterior means of about PointCount test images, evenly spaced through the test split, with their labels; format
// owned by the runtime's LatentMap.LatentPoints) and examples/ (the first test image of each label, at most
// ExampleCount, as PNG; ModelExamples). The means come from the trainer's own network, which the export check has
// just shown equal to the exported encoder. It writes nothing else and draws no pictures (RunReports does).
using System.Globalization;
using VaeOnnx.Runtime.Core.Examples;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.LatentMap;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Reports;

namespace VaeOnnx.Trainer.Export;

public static class LatentPointsExport
{
    /// <summary>Test images whose means are written (fewer when the test split is smaller).</summary>
    public const int PointCount = 1000;

    /// <summary>Most example images written (one per label, in label order).</summary>
    public const int ExampleCount = 10;

    /// <summary>Writes latent-points.json and examples/ into <paramref name="folder"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(VaeNetwork network, ImageDataset test, string datasetName, string folder)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(test);
        int[] indices = EvenlySpaced(test.Count, PointCount);
        ImageDataset sample = test.Select(indices, test.Name);
        float[] means = RunReports.Means(network, sample);
        var points = new LatentPoints(network.Architecture.LatentSize, means, sample.Labels, indices, test.LabelNames,
            string.Create(CultureInfo.InvariantCulture, $"{datasetName} test split: {indices.Length} of {test.Count} images, evenly spaced"));
        var written = new List<string> { points.Save(folder) };
        written.AddRange(ModelExamples.Write(folder, Examples(test)));
        return written;
    }

    /// <summary><paramref name="wanted"/> indices (or all of 0..count-1 when fewer) spread evenly: ⌊i·count/wanted⌋.</summary>
    public static int[] EvenlySpaced(int count, int wanted)
    {
        int n = Math.Min(count, wanted);
        return [.. Enumerable.Range(0, n).Select(i => (int)((long)i * count / n))];
    }

    // The first test image of each label, in label order.
    private static List<(string Label, PixelImage Image)> Examples(ImageDataset test)
    {
        var first = new SortedDictionary<int, int>();
        for (int i = 0; i < test.Count; i++) first.TryAdd(test.Labels[i], i);
        return [.. first.Take(ExampleCount).Select(pair =>
            (test.LabelNames[pair.Key], ImageConversion.FromPlanar(test.Image(pair.Value), test.Channels, test.Height, test.Width)))];
    }
}
