// A batch of images as the model produces and takes them: (Count, Channels, Height, Width) floats, row-major,
// values in the model's range (probabilities or means). It knows its dimensions, so callers never restate C, H and W,
// and converts to PixelImages, ImageSharp-encoded PNG bytes or a grid. It does not copy on construction.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Runtime.Core;

public sealed class ImageBatch
{
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

    public int Count { get; }

    public int Channels { get; }

    public int Height { get; }

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

    public override string ToString() => $"ImageBatch({Count}×{Channels}×{Height}×{Width})";
}
