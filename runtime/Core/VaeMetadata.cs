// What a VaeOnnx model says about itself in its ONNX metadata_props: image shape, latent size, likelihood, plus any
// free-form vaeonnx.* properties (dataset, epochs, test_loss, ...). Parsed and checked here; graphs are checked
// against it in ModelGraphCheck; the keys are VaeContract's.
using System.Globalization;
using static VaeOnnx.Runtime.Core.VaeContract;

namespace VaeOnnx.Runtime.Core;

/// <summary>What a VaeOnnx model says about itself in its ONNX metadata: image shape, latent size, likelihood, and every other property (dataset, epochs, test loss, ...).</summary>
public sealed class VaeMetadata
{
    private const int MaxDimension = 1 << 16;

    /// <summary>Metadata with the given shape and likelihood.</summary>
    /// <param name="channels">Image channels, 1 to 4.</param>
    /// <param name="height">Image height, 1 to 65536.</param>
    /// <param name="width">Image width, 1 to 65536.</param>
    /// <param name="latentSize">Latent dimensions, 1 to 65536.</param>
    /// <param name="likelihood">The decoder's pixel likelihood.</param>
    /// <param name="properties">Every metadata entry of the model.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of its range.</exception>
    public VaeMetadata(int channels, int height, int width, int latentSize, Likelihood likelihood, IReadOnlyDictionary<string, string> properties)
    {
        if (channels is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 to 4 (grey, grey+alpha, RGB, RGBA).");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxDimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(latentSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(latentSize, MaxLatentSize);
        ArgumentNullException.ThrowIfNull(properties);
        Channels = channels;
        Height = height;
        Width = width;
        LatentSize = latentSize;
        Likelihood = likelihood;
        Properties = properties;
    }

    /// <summary>Image channels (C): 1 grey, 3 RGB.</summary>
    public int Channels { get; }

    /// <summary>Image height (H) in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width (W) in pixels.</summary>
    public int Width { get; }

    /// <summary>Latent dimensions (L).</summary>
    public int LatentSize { get; }

    /// <summary>The decoder's pixel likelihood.</summary>
    public Likelihood Likelihood { get; }

    /// <summary>Every metadata_props entry of the model (decoder's, then the encoder's for keys the decoder lacks).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>Values in one image: Channels × Height × Width.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>Reads the required keys from a graph's metadata; <paramref name="modelPath"/> names the file in errors.</summary>
    public static VaeMetadata Parse(IReadOnlyDictionary<string, string> properties, string modelPath)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var missing = RequiredKeys.Where(k => !properties.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidModelException(modelPath,
                $"{modelPath} lacks the metadata_props {string.Join(", ", missing)}; a VaeOnnx model carries {string.Join(", ", RequiredKeys)}. " +
                "Export the model with the VaeOnnx trainer (or add those keys).");
        }
        int channels = ParseInt(properties, ChannelsKey, modelPath, 1, 4);
        int height = ParseInt(properties, HeightKey, modelPath, 1, MaxDimension);
        int width = ParseInt(properties, WidthKey, modelPath, 1, MaxDimension);
        int latentSize = ParseInt(properties, LatentSizeKey, modelPath, 1, MaxLatentSize);
        if (properties.TryGetValue(InputRangeKey, out var range) && range.Trim() != InputRangeText)
        {
            throw new InvalidModelException(modelPath,
                $"{modelPath}: metadata {InputRangeKey} is '{range}'; this runtime feeds the encoder pixels in [{InputMin}, {InputMax}] ('{InputRangeText}').");
        }
        if (!VaeContract.TryParseLikelihood(properties[LikelihoodKey], out var likelihood))
        {
            throw new InvalidModelException(modelPath,
                $"{modelPath}: metadata {LikelihoodKey} is '{properties[LikelihoodKey]}'; expected " +
                $"'{VaeContract.LikelihoodText(Likelihood.Bernoulli)}' or '{VaeContract.LikelihoodText(Likelihood.Gaussian)}'.");
        }
        return new VaeMetadata(channels, height, width, latentSize, likelihood, properties);
    }

    /// <summary>"1x28x28 images, latent size 16, bernoulli likelihood".</summary>
    public override string ToString() =>
        $"{Channels}x{Height}x{Width} images, latent size {LatentSize}, {LikelihoodText(Likelihood)} likelihood";

    private static int ParseInt(IReadOnlyDictionary<string, string> properties, string key, string modelPath, int min, int max)
    {
        var text = properties[key];
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new InvalidModelException(modelPath, $"{modelPath}: metadata {key} is '{text}'; expected a whole number from {min} to {max}.");
        }
        return value;
    }
}
