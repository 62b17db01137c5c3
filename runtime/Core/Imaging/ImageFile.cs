// Image input and output through ImageSharp 2.1.13: reads every format it reads (PNG, JPEG, BMP, GIF, TGA, WebP,
// TIFF, PBM) into a PixelImage, and writes PNG. Reading identifies the header first and refuses an image whose
// width × height exceeds the bound before a single pixel is decoded, so a small file claiming a huge image costs
// milliseconds. The decoded image keeps what the file holds, losslessly: grey when every pixel has R = G = B,
// alpha only when some pixel is not opaque, 16 bits only when a sample needs them. Resize and grey conversion
// happen only when ImageReadOptions asks. PNG files are written atomically (AtomicFile).
// It deliberately does no colour management and reads only the first frame of animated or multi-page files.
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>Reads images (PNG, JPEG, BMP, GIF, TGA, WebP, TIFF, PBM/PGM/PPM) through ImageSharp with the header checked against a pixel bound before any pixel is decoded, and writes PNG.</summary>
public static class ImageFile
{
    // TGA has no signature, so ImageSharp's TGA detector takes many non-images for TGA files; it is consulted only
    // for files named *.tga. Every other format is recognised by its signature.
    private static readonly Configuration BySignature = new(
        new PngConfigurationModule(), new JpegConfigurationModule(), new GifConfigurationModule(), new BmpConfigurationModule(),
        new PbmConfigurationModule(), new TiffConfigurationModule(), new WebpConfigurationModule());

    private static readonly Configuration WithTga = new(new TgaConfigurationModule());

    /// <summary>Largest file read into memory (bytes).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>File extensions (lower case, with dot) of the formats read: what folder datasets pick up.</summary>
    public static IReadOnlyList<string> Extensions { get; } =
        [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".webp", ".tif", ".tiff", ".pbm", ".pgm", ".ppm"];

    /// <summary>The media types of the formats read (for HTTP uploads), in the order of <see cref="Extensions"/>.</summary>
    public static IReadOnlyList<string> MediaTypes { get; } =
        ["image/png", "image/jpeg", "image/bmp", "image/gif", "image/x-tga", "image/webp", "image/tiff", "image/x-portable-bitmap",
         "image/x-portable-graymap", "image/x-portable-pixmap", "image/x-portable-anymap"];

    /// <summary>Width and height the header claims, without decoding pixels; InvalidImageException if unreadable.</summary>
    public static (int Height, int Width) Identify(ReadOnlySpan<byte> data, string name = "image") =>
        InPlace(data, stream =>
        {
            var info = IdentifyStream(stream, name, ConfigurationFor(name));
            return (info.Height, info.Width);
        });

    /// <summary>Decodes one image, checking the header against the bound first.</summary>
    /// <param name="data">The file's bytes (any format <see cref="Extensions"/> lists).</param>
    /// <param name="options">The pixel bound, resize and grey conversion; null for <see cref="ImageReadOptions"/>'s defaults.</param>
    /// <param name="name">Names the image in errors (a file name, "the uploaded image").</param>
    /// <exception cref="InvalidImageException">Not a readable image, or its header claims more pixels than the bound.</exception>
    public static PixelImage Decode(ReadOnlySpan<byte> data, ImageReadOptions? options = null, string name = "image") =>
        InPlace(data, stream => Decode(stream, options ?? new ImageReadOptions(), name));

    // Reads the bytes where they are: the header check of an upload must not first copy the whole body.
    private static unsafe T InPlace<T>(ReadOnlySpan<byte> data, Func<Stream, T> read)
    {
        if (data.IsEmpty)
        {
            using var empty = new MemoryStream([], writable: false);
            return read(empty);
        }
        fixed (byte* bytes = data)
        {
            using var stream = new UnmanagedMemoryStream(bytes, data.Length);
            return read(stream);
        }
    }

    /// <summary>Reads an image file; errors start with the path.</summary>
    public static PixelImage Read(string path, ImageReadOptions? options = null) => Decode(ReadBytes(path), options, path);

    /// <summary>
    /// An image file's bytes, for a caller that identifies and decodes them (<see cref="Identify"/>, <see cref="Decode(ReadOnlySpan{byte}, ImageReadOptions?, string)"/>)
    /// without reading the file twice; a file over <see cref="MaxFileBytes"/> is refused unread. Errors start with the path.
    /// </summary>
    public static byte[] ReadBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new InvalidImageException($"{path}: the file is {length} bytes; images up to {MaxFileBytes >> 20} MiB are read.");
        }
        return File.ReadAllBytes(path);
    }

    /// <summary>Encodes <paramref name="image"/> as PNG (8 or 16 bits, grey/grey+alpha/RGB/RGBA as it is).</summary>
    public static void EncodePng(PixelImage image, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(stream);
        var encoder = new PngEncoder
        {
            BitDepth = image.BitDepth == 16 ? PngBitDepth.Bit16 : PngBitDepth.Bit8,
            ColorType = image.Channels switch
            {
                1 => PngColorType.Grayscale,
                2 => PngColorType.GrayscaleWithAlpha,
                3 => PngColorType.Rgb,
                _ => PngColorType.RgbWithAlpha,
            },
        };
        using var picture = ToImageSharp(image);
        picture.Save(stream, encoder);
    }

    /// <summary>The PNG file's bytes for <paramref name="image"/> (8 or 16 bits, grey, grey+alpha, RGB or RGBA as it is).</summary>
    public static byte[] EncodePng(PixelImage image)
    {
        using var stream = new MemoryStream();
        EncodePng(image, stream);
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="image"/> as a PNG file atomically, creating the folder if needed.</summary>
    public static void WritePng(PixelImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        AtomicFile.Write(path, stream => EncodePng(image, stream));
    }

    private static Configuration ConfigurationFor(string name) =>
        name.EndsWith(".tga", StringComparison.OrdinalIgnoreCase) ? WithTga : BySignature;

    // Untrusted bytes can make a decoder throw anything (ImageSharp 2.1 has thrown NullReferenceException on a
    // mutated JPEG); that is still the file's fault, so every exception but running out of memory is the file's.
    private static bool IsDecoderFailure(Exception e) => e is not OutOfMemoryException and not InvalidImageException;

    private static SixLabors.ImageSharp.IImageInfo IdentifyStream(Stream stream, string name, Configuration configuration)
    {
        if (stream.Length == 0)
        {
            throw new InvalidImageException(DecoderFaults.Empty(name));
        }
        SixLabors.ImageSharp.IImageInfo? info;
        try
        {
            info = Image.Identify(configuration, stream);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw new InvalidImageException(DecoderFaults.Describe(e, name, stream.Length), e);
        }
        if (info is null)
        {
            throw new InvalidImageException($"{name}: not an image in a format read here (PNG, JPEG, BMP, GIF, WebP, TIFF, PBM; TGA when named *.tga).");
        }
        return info;
    }

    private static PixelImage Decode(Stream stream, ImageReadOptions options, string name)
    {
        var configuration = ConfigurationFor(name);
        var info = IdentifyStream(stream, name, configuration);
        if (info.Width < 1 || info.Height < 1 || (long)info.Width * info.Height > options.MaxPixels)
        {
            throw new InvalidImageException(
                $"{name}: the header says {info.Height}×{info.Width} (H×W) pixels, more than the {options.MaxPixels} allowed; refused before decoding. Use a smaller image.");
        }
        stream.Position = 0;
        Image<Rgba64> image;
        try
        {
            image = Image.Load<Rgba64>(configuration, stream);
        }
        catch (Exception e) when (IsDecoderFailure(e))
        {
            throw new InvalidImageException(DecoderFaults.Describe(e, name, stream.Length), e);
        }
        using (image)
        {
            if (options.Resize is (int height, int width))
            {
                if (height < 1 || width < 1 || (long)height * width > options.MaxPixels)
                {
                    throw new ArgumentOutOfRangeException(nameof(options), $"Resize to {height}×{width} (H×W) is not possible; both sizes must be positive and within the pixel bound.");
                }
                var sampler = ImageReadOptions.ResamplerFor(options.Resampler);
                image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(width, height), Mode = ResizeMode.Stretch, Sampler = sampler }));
            }
            if (options.Grey)
            {
                image.Mutate(x => x.Grayscale());
            }
            return FromImageSharp(image);
        }
    }

    // Keeps exactly what the pixels need: grey if R = G = B everywhere, alpha if any pixel is not opaque,
    // 16 bits if any sample is not an exact 8-bit value (v × 257).
    private static PixelImage FromImageSharp(Image<Rgba64> image)
    {
        int width = image.Width, height = image.Height;
        var samples = new Rgba64[width * height];
        image.CopyPixelDataTo(samples);
        bool grey = true, alpha = false, wide = false;
        foreach (var p in samples)
        {
            grey &= p.R == p.G && p.G == p.B;
            alpha |= p.A != ushort.MaxValue;
            wide |= p.R % 257 != 0 || p.G % 257 != 0 || p.B % 257 != 0 || p.A % 257 != 0;
        }
        int channels = (grey ? 1 : 3) + (alpha ? 1 : 0);
        var values = new ushort[samples.Length * channels];
        for (int i = 0; i < samples.Length; i++)
        {
            var p = samples[i];
            int o = i * channels;
            if (grey)
            {
                values[o] = p.R;
            }
            else
            {
                values[o] = p.R;
                values[o + 1] = p.G;
                values[o + 2] = p.B;
            }
            if (alpha)
            {
                values[o + channels - 1] = p.A;
            }
        }
        if (wide)
        {
            return new PixelImage(width, height, channels, values);
        }
        var bytes = new byte[values.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(values[i] / 257);
        }
        return new PixelImage(width, height, channels, bytes);
    }

    private static Image<Rgba64> ToImageSharp(PixelImage image)
    {
        var result = new Image<Rgba64>(image.Width, image.Height);
        int channels = image.Channels;
        int scale = image.BitDepth == 8 ? 257 : 1;
        result.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    ushort Sample(int c) => (ushort)(image.GetSample(x, y, c) * scale);
                    row[x] = channels switch
                    {
                        1 => new Rgba64(Sample(0), Sample(0), Sample(0), ushort.MaxValue),
                        2 => new Rgba64(Sample(0), Sample(0), Sample(0), Sample(1)),
                        3 => new Rgba64(Sample(0), Sample(1), Sample(2), ushort.MaxValue),
                        _ => new Rgba64(Sample(0), Sample(1), Sample(2), Sample(3)),
                    };
                }
            }
        });
        return result;
    }
}
