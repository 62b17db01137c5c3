// Image files through ImageSharp 2.1.13: the formats read (PNG, JPEG, BMP, GIF, TGA, WebP, TIFF, PBM) and how a file's
// bytes are taken in (bounded, whatever the file is), and PNG writing. Identify and Decode are ImageAdmission's: the
// format is recognised by its signature, the structure checked against the file's length, only the first frame or
// page decoded, under a memory budget, with its EXIF orientation applied. The decoded image keeps what the file holds,
// losslessly (ImageSharpPixels). Resize and grey conversion happen only when ImageReadOptions asks. PNG files are
// written atomically (AtomicFile). It deliberately does no colour management.
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>Reads images (PNG, JPEG, BMP, GIF, TGA, WebP, TIFF, PBM/PGM/PPM) through ImageSharp with the header checked against a pixel bound before any pixel is decoded, and writes PNG.</summary>
public static class ImageFile
{
    /// <summary>Largest file read into memory (bytes).</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>File extensions (lower case, with dot) of the formats read: what folder datasets pick up.</summary>
    public static IReadOnlyList<string> Extensions { get; } =
        [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".webp", ".tif", ".tiff", ".pbm", ".pgm", ".ppm"];

    /// <summary>The media types of the formats read (for HTTP uploads), in the order of <see cref="Extensions"/>.</summary>
    public static IReadOnlyList<string> MediaTypes { get; } =
        ["image/png", "image/jpeg", "image/bmp", "image/gif", "image/x-tga", "image/webp", "image/tiff", "image/x-portable-bitmap",
         "image/x-portable-graymap", "image/x-portable-pixmap", "image/x-portable-anymap"];

    /// <summary>
    /// The header of an image: the size it decodes to (H×W, EXIF orientation applied), format and frame count, without
    /// decoding pixels (ImageAdmission.Identify). InvalidImageException, naming <paramref name="name"/>, if unreadable.
    /// </summary>
    public static ImageHeader Identify(ReadOnlySpan<byte> data, string name = "image", ImageReadOptions? options = null) =>
        ImageAdmission.Identify(data, name, options);

    /// <summary>Decodes one image's first frame, checking its structure and header first (ImageAdmission.Decode).</summary>
    /// <param name="data">The file's bytes (any format <see cref="Extensions"/> lists).</param>
    /// <param name="options">The pixel bound, resize and grey conversion; null for <see cref="ImageReadOptions"/>'s defaults.</param>
    /// <param name="name">Names the image in errors (a file name, "the uploaded image").</param>
    /// <exception cref="InvalidImageException">Not a readable image, or its header claims more pixels than the bound.</exception>
    public static PixelImage Decode(ReadOnlySpan<byte> data, ImageReadOptions? options = null, string name = "image") =>
        ImageAdmission.Decode(data, name, options);

    /// <summary>Reads an image file; errors start with the path.</summary>
    public static PixelImage Read(string path, ImageReadOptions? options = null) => Decode(ReadBytes(path), options, path);

    /// <summary>
    /// An image file's bytes, for a caller that identifies and decodes them (<see cref="Identify"/>, <see cref="Decode(ReadOnlySpan{byte}, ImageReadOptions?, string)"/>)
    /// without reading the file twice; a file over <see cref="MaxFileBytes"/> is refused unread. Errors start with the path.
    /// </summary>
    public static byte[] ReadBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long claimed = stream.CanSeek ? stream.Length : 0;
        if (claimed > MaxFileBytes)
        {
            throw new InvalidImageException($"{path}: the file is {claimed} bytes; images up to {MaxFileBytes >> 20} MiB are read.");
        }
        // The length the file system reports is not trusted: a device such as /dev/zero reports 0 and never ends, a
        // pipe has no length. A regular file is read into one array of its length; anything more is read in chunks,
        // stopping one byte past the bound.
        var chunks = new List<byte[]>();
        long total = 0;
        if (claimed > 0)
        {
            var whole = new byte[claimed];
            int filled = Fill(stream, whole);
            int next = filled == whole.Length ? stream.ReadByte() : -1;
            if (next < 0)
            {
                return filled == whole.Length ? whole : whole[..filled];
            }
            chunks.Add(whole);
            chunks.Add([(byte)next]);
            total = whole.Length + 1;
        }
        for (int size = 64 << 10; ; size = Math.Min(size * 2, 64 << 20))
        {
            var chunk = new byte[(int)Math.Max(0, Math.Min(size, MaxFileBytes + 1 - total))];
            int filled = Fill(stream, chunk);
            total += filled;
            if (total > MaxFileBytes)
            {
                throw new InvalidImageException(
                    $"{path}: reading it gave more than {MaxFileBytes >> 20} MiB ({(claimed == 0 ? "the file system reports no length: a device or pipe that may never end" : $"the file system reported {claimed} bytes")}); images up to {MaxFileBytes >> 20} MiB are read.");
            }
            chunks.Add(filled == chunk.Length ? chunk : chunk[..filled]);
            if (filled < chunk.Length)
            {
                break;
            }
        }
        var bytes = new byte[total];
        long at = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(bytes, at);
            at += chunk.Length;
        }
        return bytes;
    }

    private static int Fill(Stream stream, byte[] buffer)
    {
        int filled = 0, read;
        while (filled < buffer.Length && (read = stream.Read(buffer, filled, buffer.Length - filled)) > 0)
        {
            filled += read;
        }
        return filled;
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
        using var picture = ImageSharpPixels.To(image);
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
}
