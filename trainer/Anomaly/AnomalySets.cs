// The image sets of the anomaly demonstration, all of the normal images' size: the normal test images (the labels the
// model was trained on), the held-out labels' test images, and three plainly out-of-distribution sets: uniform noise,
// inverted normal images (1 - x) and synthetic shapes (discs, squares, bars). Everything is drawn from fixed seeds.
// It deliberately scores nothing (AnomalyReport does).
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Trainer.Anomaly;

public sealed record AnomalySets(ImageDataset Normal, IReadOnlyList<ImageDataset> Anomalies)
{
    /// <summary>
    /// Splits <paramref name="test"/> (all labels) into normal images (labels <paramref name="normalLabels"/> keeps)
    /// and held-out ones, and adds <paramref name="syntheticCount"/> noise, inverted and shape images each.
    /// </summary>
    public static AnomalySets Build(ImageDataset test, LabelFilter normalLabels, int syntheticCount, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(normalLabels);
        ArgumentOutOfRangeException.ThrowIfLessThan(syntheticCount, 1);
        var normal = test.Where(normalLabels.Keeps, "");
        var heldOut = test.Where(label => !normalLabels.Keeps(label), "");
        if (normal.Count == 0)
        {
            throw new DatasetException($"{test.Name} has no test images with the labels {normalLabels.Text}; nothing to call normal.");
        }
        normal = Renamed(normal, $"normal (labels {normalLabels.Text})");
        var anomalies = new List<ImageDataset>();
        if (heldOut.Count > 0)
        {
            var heldOutLabels = heldOut.Labels.Distinct().Order().Select(l => test.LabelNames[l]);
            anomalies.Add(Renamed(heldOut, $"held-out labels {string.Join(",", heldOutLabels)}"));
        }
        anomalies.Add(Noise(syntheticCount, normal, seed));
        anomalies.Add(Inverted(normal.Take(syntheticCount)));
        anomalies.Add(Renamed(SyntheticShapes.Generate(syntheticCount, normal.Channels, normal.Height, normal.Width, seed + 1), "synthetic shapes"));
        return new AnomalySets(normal, anomalies);
    }

    /// <summary>Pixels uniform in [0, 1], independent.</summary>
    public static ImageDataset Noise(int count, ImageDataset like, ulong seed)
    {
        var random = new RandomSource(seed);
        var pixels = new float[count * like.ImageSize];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = random.NextFloat();
        }
        return new ImageDataset("uniform noise", like.Channels, like.Height, like.Width, pixels, new int[count], ["noise"]);
    }

    /// <summary>1 - x for every pixel: the same shapes, dark on light.</summary>
    public static ImageDataset Inverted(ImageDataset images)
    {
        var pixels = new float[images.Pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = 1 - images.Pixels[i];
        }
        return new ImageDataset("inverted normal images", images.Channels, images.Height, images.Width, pixels, images.Labels, images.LabelNames);
    }

    private static ImageDataset Renamed(ImageDataset data, string name) =>
        new(name, data.Channels, data.Height, data.Width, data.Pixels, data.Labels, data.LabelNames);
}
