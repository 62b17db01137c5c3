// How grey levels are turned into the {0, 1} pixels of "binarized MNIST", the usual benchmark for Bernoulli VAEs.
//   None:    pixels stay grey levels in [0, 1] (the Bernoulli likelihood then acts as a cross-entropy).
//   Dynamic: every training epoch draws pixel ~ Bernoulli(grey level) afresh from the seeded binarization generator.
//   Static:  the training set is drawn once, from a fixed seed, and kept for the whole run.
// With Dynamic or Static the test set is binarized once with a fixed seed, so test losses stay comparable across epochs.
namespace VaeOnnx.Trainer.Data;

public enum Binarization { None, Dynamic, Static }

/// <summary>The words of --binarize: the members' names in lower case ("none", "dynamic", "static"), as config.json writes them.</summary>
public static class BinarizationNames
{
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<Binarization>().Select(ToName)];

    public static string ToName(this Binarization binarization) => binarization.ToString().ToLowerInvariant();

    /// <summary>The member named <paramref name="name"/> (case ignored); throws an ArgumentException listing the words when there is none.</summary>
    public static Binarization Parse(string name) =>
        Enum.TryParse(name, ignoreCase: true, out Binarization value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"Unknown binarization '{name}'; use {string.Join(", ", All)}.", nameof(name));
}

public static class Binarizer
{
    /// <summary>Seed of the fixed draws (static training set, test set); independent of --seed by design.</summary>
    public const ulong FixedSeed = 0x5EED_B1A2;

    /// <summary>destination[i] = 1 with probability source[i], else 0; one uniform draw per pixel, in order.</summary>
    public static void Sample(ReadOnlySpan<float> source, Span<float> destination, RandomSource random)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; {source.Length} are needed.", nameof(destination));
        }
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = random.NextFloat() < source[i] ? 1f : 0f;
        }
    }

    /// <summary>A copy of <paramref name="dataset"/> binarized once from <paramref name="seed"/>.</summary>
    public static ImageDataset SampleOnce(ImageDataset dataset, ulong seed)
    {
        float[] pixels = new float[dataset.Pixels.Length];
        Sample(dataset.Pixels, pixels, new RandomSource(seed));
        return new ImageDataset(dataset.Name + "/binarized", dataset.Channels, dataset.Height, dataset.Width, pixels, dataset.Labels, dataset.LabelNames);
    }
}
