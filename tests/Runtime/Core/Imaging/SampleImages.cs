// Test helper: valid image files of every format the runtime reads, made by ImageSharp's encoders where it has one
// (PNG in several colour types, JPEG, GIF, BMP, TGA raw and run-length, WebP lossless and lossy, TIFF) and by hand where
// it has not (Netpbm in its six forms, an animated GIF of one-pixel frames on a large canvas, a TIFF of several pages
// of different sizes, an animated WebP). Pictures are seeded noise with a gradient, so every pixel matters.
using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

internal static class SampleImages
{
    /// <summary>An RGB picture (grey when <paramref name="grey"/>: R = G = B) of seeded noise over a gradient.</summary>
    public static Image<Rgb24> Picture(int width, int height, bool grey = false, int seed = 1)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                byte v = (byte)((x * 255 / Math.Max(1, width - 1) + random.Next(64)) / 2 + y);
                image[x, y] = grey ? new Rgb24(v, v, v) : new Rgb24(v, (byte)random.Next(256), (byte)(255 - v));
            }
        }
        return image;
    }

    public static byte[] Encode(Image image, IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    /// <summary>One valid still file per format and variant, named with its extension; 24 × 16 unless said.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> EveryFormat(int width = 24, int height = 16)
    {
        using var colour = Picture(width, height, seed: 5);
        using var grey = Picture(width, height, grey: true, seed: 6);
        using var translucent = colour.CloneAs<Rgba32>();
        translucent[1, 1] = new Rgba32(10, 20, 30, 100);
        return
        [
            ("rgb.png", Encode(colour, new PngEncoder())),
            ("grey.png", Encode(grey, new PngEncoder { ColorType = PngColorType.Grayscale })),
            ("palette.png", Encode(grey, new PngEncoder { ColorType = PngColorType.Palette })),
            ("rgba.png", Encode(translucent, new PngEncoder { ColorType = PngColorType.RgbWithAlpha })),
            ("sixteen.png", Encode(colour, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb })),
            ("interlaced.png", Encode(colour, new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7 })),
            ("colour.jpg", Encode(colour, new JpegEncoder { Quality = 90 })),
            ("grey.jpg", Encode(grey, new JpegEncoder { ColorType = JpegColorType.Luminance })),
            ("colour.gif", Encode(colour, new GifEncoder())),
            ("rgb.bmp", Encode(colour, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 })),
            ("rgba.bmp", Encode(translucent, new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel32 })),
            ("raw.tga", Encode(colour, new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24, Compression = TgaCompression.None })),
            ("rle.tga", Encode(colour, new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24, Compression = TgaCompression.RunLength })),
            ("lossless.webp", Encode(colour, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless })),
            ("lossy.webp", Encode(colour, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy })),
            ("rgb.tiff", Encode(colour, new TiffEncoder())),
            ("p1.pbm", Netpbm(grey, 1)),
            ("p2.pgm", Netpbm(grey, 2)),
            ("p3.ppm", Netpbm(colour, 3)),
            ("p4.pbm", Netpbm(grey, 4)),
            ("p5.pgm", Netpbm(grey, 5)),
            ("p6.ppm", Netpbm(colour, 6)),
        ];
    }

    /// <summary>A Netpbm file of <paramref name="image"/> in form P<paramref name="kind"/> (bitmaps: black below 128),
    /// with a comment in the header and samples as the format writes them.</summary>
    public static byte[] Netpbm(Image<Rgb24> image, int kind)
    {
        int width = image.Width, height = image.Height;
        using var stream = new MemoryStream();
        stream.Write(Encoding.ASCII.GetBytes($"P{kind}\n# made by a test\n{width} {height}\n{(kind is 1 or 4 ? "" : "255\n")}"));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var p = image[x, y];
                bool black = p.R < 128;
                switch (kind)
                {
                    case 1: stream.WriteByte(black ? (byte)'1' : (byte)'0'); break; // run together, as the format allows
                    case 2: stream.Write(Encoding.ASCII.GetBytes($"{p.R} ")); break;
                    case 3: stream.Write(Encoding.ASCII.GetBytes($"{p.R} {p.G} {p.B}\n")); break;
                    case 5: stream.WriteByte(p.R); break;
                    case 6: stream.WriteByte(p.R); stream.WriteByte(p.G); stream.WriteByte(p.B); break;
                }
            }
            if (kind == 4)
            {
                var row = new byte[(width + 7) / 8];
                for (int x = 0; x < width; x++)
                {
                    if (image[x, y].R < 128) row[x / 8] |= (byte)(0x80 >> (x % 8));
                }
                stream.Write(row);
            }
            if (kind == 1) stream.WriteByte((byte)'\n');
        }
        return stream.ToArray();
    }

    /// <summary>A GIF of <paramref name="frames"/> one-pixel frames (palette index 1, white) at (0, 0) of a canvas of the given size.</summary>
    public static byte[] AnimatedGif(int canvasWidth, int canvasHeight, int frames)
    {
        using var stream = new MemoryStream();
        stream.Write("GIF89a"u8);
        Span<byte> word = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)canvasWidth);
        stream.Write(word);
        BinaryPrimitives.WriteUInt16LittleEndian(word, (ushort)canvasHeight);
        stream.Write(word);
        stream.Write([0x80, 0, 0]); // a global colour table of 2 entries
        stream.Write([0, 0, 0, 255, 255, 255]);
        for (int i = 0; i < frames; i++)
        {
            stream.Write([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]); // image descriptor: (0, 0), 1 × 1, no local table
            stream.Write([0x02, 0x02, 0x4C, 0x01, 0x00]); // LZW: clear, index 1, end
        }
        stream.WriteByte(0x3B);
        return stream.ToArray();
    }

    /// <summary>A GIF whose first frame is <paramref name="first"/> (as ImageSharp encodes it), followed by
    /// <paramref name="extraFrames"/> one-pixel frames: a valid picture that hides a frame bomb.</summary>
    public static byte[] GifWithExtraFrames(Image<Rgb24> first, int extraFrames)
    {
        byte[] still = Encode(first, new GifEncoder());
        using var stream = new MemoryStream();
        stream.Write(still.AsSpan(0, still.Length - 1)); // all but the trailer
        for (int i = 0; i < extraFrames; i++)
        {
            stream.Write([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
            stream.Write([0x02, 0x02, 0x4C, 0x01, 0x00]);
        }
        stream.WriteByte(0x3B);
        return stream.ToArray();
    }

    /// <summary>A little-endian TIFF with one uncompressed 8-bit grey page per entry (each its own size), one strip a page.</summary>
    public static byte[] MultiPageTiff(params (int Width, int Height)[] pages)
    {
        using var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        writer.Write("II"u8);
        writer.Write((ushort)42);
        writer.Write(8u);
        for (int p = 0; p < pages.Length; p++)
        {
            var (width, height) = pages[p];
            long ifd = stream.Position;
            const int entries = 9;
            long data = ifd + 2 + entries * 12 + 4;
            long next = data + width * height;
            next += next & 1;
            writer.Write((ushort)entries);
            void Entry(ushort tag, ushort type, uint value)
            {
                writer.Write(tag);
                writer.Write(type);
                writer.Write(1u);
                writer.Write(value);
            }
            Entry(256, 4, (uint)width);
            Entry(257, 4, (uint)height);
            Entry(258, 3, 8);
            Entry(259, 3, 1);
            Entry(262, 3, 1);
            Entry(273, 4, (uint)data);
            Entry(277, 3, 1);
            Entry(278, 4, (uint)height);
            Entry(279, 4, (uint)(width * height));
            writer.Write(p == pages.Length - 1 ? 0u : (uint)next);
            for (int i = 0; i < width * height; i++)
            {
                writer.Write((byte)(i * 7 + p * 40));
            }
            while (stream.Position < next) writer.Write((byte)0);
        }
        return stream.ToArray();
    }

    /// <summary>An animated WebP: <paramref name="frames"/> copies of a lossless <paramref name="width"/> × <paramref name="height"/>
    /// frame (grey when <paramref name="grey"/>) at (0, 0) of a canvas of the same size.</summary>
    public static byte[] AnimatedWebp(int width, int height, int frames, bool grey = false)
    {
        using var picture = Picture(width, height, grey, seed: 9);
        byte[] still = Encode(picture, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        // The still is RIFF, size, WEBP, then one VP8L chunk: keep that chunk (header, data, padding).
        byte[] vp8l = still[12..];
        using var stream = new MemoryStream();
        stream.Write("RIFF\0\0\0\0WEBP"u8);
        stream.Write("VP8X"u8);
        stream.Write([10, 0, 0, 0, 0x02, 0, 0, 0]);
        Write24(stream, width - 1);
        Write24(stream, height - 1);
        stream.Write("ANIM"u8);
        stream.Write([6, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        for (int i = 0; i < frames; i++)
        {
            stream.Write("ANMF"u8);
            var size = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)(16 + vp8l.Length));
            stream.Write(size);
            Write24(stream, 0);
            Write24(stream, 0);
            Write24(stream, width - 1);
            Write24(stream, height - 1);
            Write24(stream, 100);
            stream.WriteByte(0);
            stream.Write(vp8l);
        }
        byte[] bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    private static void Write24(Stream stream, int value)
    {
        stream.WriteByte((byte)value);
        stream.WriteByte((byte)(value >> 8));
        stream.WriteByte((byte)(value >> 16));
    }
}
