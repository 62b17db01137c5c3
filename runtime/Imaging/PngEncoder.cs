// Encodes a PngImage as a non-interlaced PNG: grey, grey+alpha, RGB or RGBA at 8 or 16 bits, one filter per row
// chosen by the minimum-sum-of-absolute-differences heuristic, zlib at the default (Optimal) level.
// It writes only IHDR, IDAT and IEND: no palette reduction, no gamma or text chunks.
using System.IO.Compression;

namespace VaeOnnx.Runtime.Imaging;

internal static class PngEncoder
{
    private const int MaxIdatChunk = 1 << 18;

    public static void Encode(PngImage image, Stream stream)
    {
        var colorType = image.Channels switch
        {
            1 => PngColorType.Greyscale,
            2 => PngColorType.GreyscaleAlpha,
            3 => PngColorType.Truecolor,
            _ => PngColorType.TruecolorAlpha,
        };
        var header = new PngHeader(image.Width, image.Height, image.BitDepth, colorType, Interlaced: false);
        stream.Write(PngDecoder.Signature);
        Span<byte> ihdr = stackalloc byte[PngHeader.Length];
        header.Write(ihdr);
        WriteChunk(stream, "IHDR", ihdr);

        byte[] compressed = Compress(image, header);
        for (int start = 0; start < compressed.Length; start += MaxIdatChunk)
        {
            WriteChunk(stream, "IDAT", compressed.AsSpan(start, Math.Min(MaxIdatChunk, compressed.Length - start)));
        }
        WriteChunk(stream, "IEND", []);
    }

    private static byte[] Compress(PngImage image, PngHeader header)
    {
        int rowBytes = (int)header.RowBytes(image.Width);
        int unit = header.FilterUnit;
        var row = new byte[rowBytes];
        var previous = new byte[rowBytes];
        var filtered = new byte[rowBytes + 1];
        var scratch = new byte[rowBytes];
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int y = 0; y < image.Height; y++)
            {
                CopyRow(image, y, row);
                filtered[0] = PngFilters.ApplyBest(row, previous, unit, filtered.AsSpan(1), scratch);
                zlib.Write(filtered);
                (row, previous) = (previous, row);
            }
        }
        return output.ToArray();
    }

    /// <summary>Row <paramref name="y"/> as file bytes: 8-bit samples as they are, 16-bit samples big-endian.</summary>
    private static void CopyRow(PngImage image, int y, Span<byte> row)
    {
        int samples = image.Width * image.Channels;
        if (image.BitDepth == 8)
        {
            image.Pixels.AsSpan(y * samples, samples).CopyTo(row);
            return;
        }
        ReadOnlySpan<ushort> source = image.Pixels16.AsSpan(y * samples, samples);
        for (int i = 0; i < source.Length; i++)
        {
            row[2 * i] = (byte)(source[i] >> 8);
            row[2 * i + 1] = (byte)source[i];
        }
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        PngHeader.WriteUInt32(head, (uint)data.Length);
        for (int i = 0; i < 4; i++)
        {
            head[4 + i] = (byte)type[i];
        }
        stream.Write(head);
        stream.Write(data);
        Span<byte> crc = stackalloc byte[4];
        PngHeader.WriteUInt32(crc, Crc32.Compute(data, Crc32.Compute(head[4..])));
        stream.Write(crc);
    }
}
