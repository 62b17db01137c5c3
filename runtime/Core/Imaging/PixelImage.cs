// An image as the rest of the runtime sees it: width, height, 1-4 interleaved channels (grey, grey+alpha, RGB, RGBA)
// at 8 or 16 bits per sample, rows top to bottom. 8-bit samples live in a byte[] (Pixels), 16-bit samples in a
// ushort[] (Pixels16); exactly one of the two is set. Palette and sub-byte PNGs are expanded on decode, so this type
// never holds indices or packed bits. It does not do colour management (gAMA, iCCP are ignored).
namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>An image as the runtime reads and writes it: width, height, 1 to 4 interleaved channels (grey, grey+alpha, RGB, RGBA) at 8 or 16 bits per sample, rows top to bottom.</summary>
public sealed class PixelImage
{
    /// <summary>Largest width or height accepted anywhere (decode, encode, construction).</summary>
    public const int MaxDimension = 16384;

    /// <summary>Largest pixel count accepted: keeps a hostile header from asking for gigabytes.</summary>
    public const long MaxPixels = 1L << 26;

    private readonly byte[]? _pixels;
    private readonly ushort[]? _pixels16;

    /// <summary>An 8-bit image over <paramref name="pixels"/> (not copied): Height rows of Width * Channels samples.</summary>
    public PixelImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        CheckShape(width, height, channels, pixels.Length);
        (Width, Height, Channels, BitDepth, _pixels) = (width, height, channels, 8, pixels);
    }

    /// <summary>A 16-bit image over <paramref name="pixels"/> (not copied): Height rows of Width * Channels samples.</summary>
    public PixelImage(int width, int height, int channels, ushort[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        CheckShape(width, height, channels, pixels.Length);
        (Width, Height, Channels, BitDepth, _pixels16) = (width, height, channels, 16, pixels);
    }

    /// <summary>A black (and fully transparent, if it has alpha) image.</summary>
    public static PixelImage Create(int width, int height, int channels, int bitDepth = 8)
    {
        CheckShape(width, height, channels, null);
        int length = width * height * channels;
        return bitDepth switch
        {
            8 => new PixelImage(width, height, channels, new byte[length]),
            16 => new PixelImage(width, height, channels, new ushort[length]),
            _ => throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, "Bit depth must be 8 or 16."),
        };
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }

    /// <summary>8 or 16.</summary>
    public int BitDepth { get; }

    /// <summary>255 or 65535: the sample value meaning "full intensity" / "opaque".</summary>
    public int MaxSample => BitDepth == 8 ? 255 : 65535;

    /// <summary>Whether the last channel is alpha (grey+alpha or RGBA).</summary>
    public bool HasAlpha => Channels is 2 or 4;

    /// <summary>The 8-bit samples. Throws for a 16-bit image (use <see cref="Pixels16"/> or <see cref="ToBitDepth8"/>).</summary>
    public byte[] Pixels => _pixels ?? throw new InvalidOperationException(
        $"This is a 16-bit image ({Height}×{Width}, {ChannelName(Channels)}); read Pixels16 or call ToBitDepth8() first.");

    /// <summary>The 16-bit samples. Throws for an 8-bit image (use <see cref="Pixels"/>).</summary>
    public ushort[] Pixels16 => _pixels16 ?? throw new InvalidOperationException(
        $"This is an 8-bit image ({Height}×{Width}, {ChannelName(Channels)}); read Pixels instead.");

    /// <summary>The raw sample (0..MaxSample) of <paramref name="channel"/> at (x, y).</summary>
    public int GetSample(int x, int y, int channel)
    {
        int index = ((y * Width) + x) * Channels + channel;
        return _pixels is not null ? _pixels[index] : _pixels16![index];
    }

    /// <summary>The same picture at 8 bits per sample (16-bit values rounded: v * 255 / 65535); returns this if already 8-bit.</summary>
    public PixelImage ToBitDepth8()
    {
        if (_pixels is not null)
        {
            return this;
        }
        var bytes = new byte[_pixels16!.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((_pixels16[i] * 255 + 32767) / 65535);
        }
        return new PixelImage(Width, Height, Channels, bytes);
    }

    /// <summary>"grey", "grey+alpha", "RGB" or "RGBA", for messages.</summary>
    public static string ChannelName(int channels) => channels switch
    {
        1 => "grey",
        2 => "grey+alpha",
        3 => "RGB",
        4 => "RGBA",
        _ => $"{channels} channels",
    };

    /// <summary>"PixelImage(H×W, channels, bits)".</summary>
    public override string ToString() => $"PixelImage({Height}×{Width}, {ChannelName(Channels)}, {BitDepth}-bit)";

    private static void CheckShape(int width, int height, int channels, int? length)
    {
        if (width < 1 || height < 1 || width > MaxDimension || height > MaxDimension || (long)width * height > MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width),
                $"Image size {height}×{width} (H×W) is not supported; height and width must be 1..{MaxDimension} and height×width at most {MaxPixels}.");
        }
        if (channels is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA).");
        }
        if (length is int actual && actual != width * height * channels)
        {
            throw new ArgumentException(
                $"Pixel buffer has {actual} samples; a {height}×{width} {ChannelName(channels)} image needs {width * height * channels}.", "pixels");
        }
    }
}
