// An in-memory labelled image set: planar (N, C, H, W) floats in [0, 1] and one integer label per image.
// Every data source (IDX files, an image folder, synthetic shapes) ends up as one of these; it does no augmentation.
namespace VaeOnnx.Trainer.Data;

public sealed class ImageDataset
{
    public ImageDataset(string name, int channels, int height, int width, float[] pixels, int[] labels, IReadOnlyList<string> labelNames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        int imageSize = channels * height * width;
        if (pixels.Length != (long)labels.Length * imageSize)
        {
            throw new ArgumentException(
                $"{name}: {pixels.Length} pixel values do not make {labels.Length} images of {channels} x {height} x {width} ({(long)labels.Length * imageSize} values).",
                nameof(pixels));
        }
        foreach (int label in labels)
        {
            if (label < 0 || label >= labelNames.Count)
            {
                throw new ArgumentException($"{name}: label {label} is outside the {labelNames.Count} label names.", nameof(labels));
            }
        }
        Name = name;
        Channels = channels;
        Height = height;
        Width = width;
        Pixels = pixels;
        Labels = labels;
        LabelNames = labelNames;
    }

    /// <summary>Where the images came from, e.g. "mnist/train"; used in messages and metadata.</summary>
    public string Name { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>(N, C, H, W), values in [0, 1].</summary>
    public float[] Pixels { get; }

    public int[] Labels { get; }

    /// <summary>Label index -> name ("0".."9" for MNIST, class or folder names otherwise).</summary>
    public IReadOnlyList<string> LabelNames { get; }

    public int Count => Labels.Length;

    public int ImageSize => Channels * Height * Width;

    public ReadOnlySpan<float> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>The images whose label passes <paramref name="keep"/>, in their original order.</summary>
    public ImageDataset Where(Func<int, bool> keep, string nameSuffix)
    {
        var indices = new List<int>();
        for (int i = 0; i < Count; i++)
        {
            if (keep(Labels[i]))
            {
                indices.Add(i);
            }
        }
        return Select(indices, Name + nameSuffix);
    }

    /// <summary>The first <paramref name="count"/> images (all of them when there are fewer).</summary>
    public ImageDataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= Count)
        {
            return this;
        }
        return new ImageDataset(Name, Channels, Height, Width, Pixels.AsSpan(0, count * ImageSize).ToArray(), Labels[..count], LabelNames);
    }

    public ImageDataset Select(IReadOnlyList<int> indices, string name)
    {
        float[] pixels = new float[indices.Count * ImageSize];
        int[] labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageSize, ImageSize));
            labels[i] = Labels[indices[i]];
        }
        return new ImageDataset(name, Channels, Height, Width, pixels, labels, LabelNames);
    }
}
