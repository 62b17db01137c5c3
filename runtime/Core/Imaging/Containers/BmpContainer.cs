// BMP (Windows DIB): a 14-byte file header with the offset of the pixels, then an info header (12 bytes for OS/2
// core, 40 or more otherwise) with the size and bits per pixel. Uncompressed and bit-field pixels (compression 0, 3,
// 6) must all lie inside the file: rows are padded to 4 bytes. Run-length and embedded JPEG/PNG data are left to the
// decoder. 16- and 32-bit pixels can carry alpha.
using System.Buffers.Binary;

namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class BmpContainer
{
    public static bool Matches(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 'B' && data[1] == 'M';

    public static ContainerFacts Scan(ReadOnlySpan<byte> data)
    {
        if (data.Length < 26)
        {
            throw ContainerException.EndsEarly("it ends inside the BMP headers");
        }
        long pixelsAt = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint infoSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        long width, height;
        int bitsPerPixel;
        uint compression = 0;
        if (infoSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(data[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[20..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[24..]);
        }
        else
        {
            if (data.Length < 34)
            {
                throw ContainerException.EndsEarly("it ends inside the BMP info header");
            }
            width = BinaryPrimitives.ReadInt32LittleEndian(data[18..]);
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..]));
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(data[30..]);
        }
        if (compression is 0 or 3 or 6 && width > 0 && bitsPerPixel > 0)
        {
            long rowBytes = (width * bitsPerPixel + 31) / 32 * 4;
            long end = pixelsAt + rowBytes * height;
            if (end > data.Length)
            {
                throw ContainerException.EndsEarly($"its {height} rows of pixels need bytes up to {end}");
            }
        }
        return new ContainerFacts(ImageFormatKind.Bmp) { CanHaveAlpha = bitsPerPixel is 16 or 32 };
    }
}
