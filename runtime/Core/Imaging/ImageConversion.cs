// Conversion between PixelImage (interleaved HWC integers) and the planar CHW floats in [0, 1] that models take.
// Strict by design: the size must match exactly, and the only channel changes allowed are the lossless ones —
// dropping an alpha channel that is fully opaque, repeating grey into RGB, and reading an RGB image whose every
// pixel has R = G = B as grey. Anything else (real colour into a grey model, transparency) is an error that says
// what to do; there are no silent colour conversions, no resizing and no gamma handling here.
namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>Converts between 8- or 16-bit pictures (<see cref="PixelImage"/>, interleaved H × W × C) and the planar (C, H, W) floats in [0, 1] that models take; strict about size and channels.</summary>
public static class ImageConversion
{
    /// <summary>The image as (C, H, W) floats in [0, 1] (sample / 255 or / 65535).</summary>
    /// <param name="image">The picture; its size must be exactly <paramref name="height"/> × <paramref name="width"/>.</param>
    /// <param name="channels">The model's channels: 1 (grey) or 3 (RGB); only lossless channel changes are made.</param>
    /// <param name="height">The model's image height.</param>
    /// <param name="width">The model's image width.</param>
    /// <param name="sourceName">Named in error messages (a file name, an upload field); "image" when null.</param>
    /// <exception cref="ImageMismatchException">The size differs, or the channels cannot be changed losslessly (colour into grey, transparency).</exception>
    public static float[] ToPlanar(PixelImage image, int channels, int height, int width, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckTarget(channels, height, width);
        var planar = new float[channels * height * width];
        Fill(image, channels, height, width, sourceName ?? "image", planar);
        return planar;
    }

    /// <summary>A batch of images as one (N, C, H, W) array; an error names the offending image.</summary>
    public static float[] ToPlanarBatch(IReadOnlyList<(PixelImage Image, string Name)> images, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(images);
        CheckTarget(channels, height, width);
        int size = channels * height * width;
        if ((long)size * images.Count > Array.MaxLength)
        {
            throw new ArgumentException($"A batch of {images.Count} images of {channels}x{height}x{width} is too large for one array; split it.", nameof(images));
        }
        var planar = new float[size * images.Count];
        for (int n = 0; n < images.Count; n++)
        {
            (PixelImage image, string name) = images[n];
            ArgumentNullException.ThrowIfNull(image, $"images[{n}]");
            Fill(image, channels, height, width, name, planar.AsSpan(n * size, size));
        }
        return planar;
    }

    /// <summary>An 8-bit image from (C, H, W) floats: clamped to [0, 1], scaled by 255 and rounded; NaN becomes 0.</summary>
    public static PixelImage FromPlanar(ReadOnlySpan<float> chw, int channels, int height, int width)
    {
        CheckTarget(channels, height, width);
        int plane = height * width;
        if (chw.Length != channels * plane)
        {
            throw new ArgumentException(
                $"Planar data has {chw.Length} values; {channels}x{height}x{width} needs {channels * plane}.", nameof(chw));
        }
        var pixels = new byte[chw.Length];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> source = chw.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                pixels[i * channels + c] = ToByte(source[i]);
            }
        }
        return new PixelImage(width, height, channels, pixels);
    }

    /// <summary>[0, 1] to 0..255 with rounding; out-of-range values clamp and NaN maps to 0.</summary>
    public static byte ToByte(float value)
    {
        if (!(value > 0f))
        {
            return 0;
        }
        return value >= 1f ? (byte)255 : (byte)(value * 255f + 0.5f);
    }

    private static void Fill(PixelImage image, int channels, int height, int width, string name, Span<float> planar)
    {
        if (image.Width != width || image.Height != height)
        {
            throw new ImageMismatchException(
                $"{name} is {image.Height}×{image.Width} (H×W) pixels; the model expects {height}×{width}. Resize it to {height}×{width} first.");
        }
        int[] sourceChannel = MapChannels(image, channels, name);
        int plane = height * width;
        // Divide rather than multiply by 1/max: the result is then the correctly rounded sample / max.
        float max = image.MaxSample;
        for (int c = 0; c < channels; c++)
        {
            Span<float> target = planar.Slice(c * plane, plane);
            int source = sourceChannel[c];
            int stride = image.Channels;
            if (image.BitDepth == 8)
            {
                byte[] pixels = image.Pixels;
                for (int i = 0; i < plane; i++)
                {
                    target[i] = pixels[i * stride + source] / max;
                }
            }
            else
            {
                ushort[] pixels = image.Pixels16;
                for (int i = 0; i < plane; i++)
                {
                    target[i] = pixels[i * stride + source] / max;
                }
            }
        }
    }

    /// <summary>For each model channel, the image channel it reads; throws unless the mapping is lossless.</summary>
    private static int[] MapChannels(PixelImage image, int channels, string name)
    {
        int have = image.Channels;
        if (have == channels)
        {
            return Enumerable.Range(0, channels).ToArray();
        }
        string mismatch = $"{name} has {have} channels ({PixelImage.ChannelName(have)}); the model expects {channels} ({PixelImage.ChannelName(channels)})";
        bool wantsAlpha = channels is 2 or 4;
        if (wantsAlpha)
        {
            throw new ImageMismatchException($"{mismatch}. Save the image with an alpha channel.");
        }
        if (image.HasAlpha)
        {
            int alpha = have - 1;
            for (int i = 0; i < image.Width * image.Height; i++)
            {
                int a = image.GetSample(i % image.Width, i / image.Width, alpha);
                if (a != image.MaxSample)
                {
                    throw new ImageMismatchException(
                        $"{mismatch}, and its alpha channel is not fully opaque (pixel ({i % image.Width}, {i / image.Width}) has alpha {a}). Flatten it onto a background first.");
                }
            }
        }
        int colour = have >= 3 ? 3 : 1;
        if (colour == channels)
        {
            return Enumerable.Range(0, channels).ToArray();
        }
        if (colour == 1)
        {
            return [0, 0, 0];
        }
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int r = image.GetSample(x, y, 0), g = image.GetSample(x, y, 1), b = image.GetSample(x, y, 2);
                if (r != g || g != b)
                {
                    throw new ImageMismatchException(
                        $"{mismatch}, and it is in colour (pixel ({x}, {y}) is RGB {r}, {g}, {b}). Convert it to greyscale first.");
                }
            }
        }
        return [0];
    }

    private static void CheckTarget(int channels, int height, int width)
    {
        if (channels is < 1 or > 4 || height < 1 || width < 1 || height > PixelImage.MaxDimension || width > PixelImage.MaxDimension)
        {
            throw new ArgumentOutOfRangeException(nameof(channels),
                $"Target shape {channels}x{height}x{width} is not supported: channels must be 1-4 and height, width 1..{PixelImage.MaxDimension}.");
        }
    }
}
