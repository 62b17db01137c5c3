// A batch of images as the model produces and takes them: (Count, Channels, Height, Width) floats, row-major,
// values in the model's range (probabilities or means). It knows its dimensions, so callers never restate C, H and W,
// and converts to PixelImages, ImageSharp-encoded PNG bytes or a grid. It does not copy on construction.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Runtime.Core;

/// <summary>A batch of images as a model takes and produces them: (Count, Channels, Height, Width) floats, row-major, in the model's range (probabilities or means in [0, 1]).</summary>
public sealed class ImageBatch
{
    /// <summary>Wraps <paramref name="values"/> (not copied) as <paramref name="count"/> images of (C, H, W).</summary>
    /// <param name="values">count × channels × height × width floats, (N, C, H, W) row-major.</param>
    /// <param name="count">Images in the batch (N), at least 1.</param>
    /// <param name="channels">Channels per image (C): 1 grey, 3 RGB.</param>
    /// <param name="height">Image height (H) in pixels.</param>
    /// <param name="width">Image width (W) in pixels.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold N × C × H × W floats, or <paramref name="count"/> is below 1.</exception>
    public ImageBatch(float[] values, int count, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if ((long)count * channels * height * width != values.Length)
        {
            throw new ArgumentException(
                $"values has {values.Length} floats; (N, C, H, W) = ({count}, {channels}, {height}, {width}) needs {(long)count * channels * height * width}.", nameof(values));
        }
        (Values, Count, Channels, Height, Width) = (values, count, channels, height, width);
    }

    /// <summary>All values, (N, C, H, W) row-major.</summary>
    public float[] Values { get; }

    /// <summary>Images in the batch (N).</summary>
    public int Count { get; }

    /// <summary>Channels per image (C): 1 grey, 3 RGB.</summary>
    public int Channels { get; }

    /// <summary>Image height (H) in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width (W) in pixels.</summary>
    public int Width { get; }

    /// <summary>Values in one image: C × H × W.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>Image <paramref name="index"/> as (C, H, W) values.</summary>
    public ReadOnlySpan<float> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return Values.AsSpan(index * ImageSize, ImageSize);
        }
    }

    /// <summary>Image <paramref name="index"/> as an 8-bit picture (values clamped to [0, 1]).</summary>
    public PixelImage ToPixelImage(int index) => ImageConversion.FromPlanar(this[index], Channels, Height, Width);

    /// <summary>Image <paramref name="index"/> encoded as a PNG file's bytes.</summary>
    public byte[] ToPng(int index) => ImageFile.EncodePng(ToPixelImage(index));

    /// <summary>All images tiled into one picture.</summary>
    public PixelImage ToGrid(ImageGridOptions? options = null) => ImageGrid.FromPlanarBatch(Values, Count, Channels, Height, Width, options);

    /// <summary>"ImageBatch(N×C×H×W)".</summary>
    public override string ToString() => $"ImageBatch({Count}×{Channels}×{Height}×{Width})";
}
