// TGA (Truevision TGA 2.0): an 18-byte header (ID length, colour-map type and spec, image type, size, bits per pixel,
// descriptor), the ID, the colour map, then the pixels: raw (types 1-3) or run-length packets (types 9-11). All of
// them must lie inside the file: ImageSharp decodes a 20-byte "TGA" into a picture of zeros. There is no signature, so
// this scan runs only on bytes that may be TGA. Alpha is possible with alpha bits in the descriptor, 16 or 32 bits.
using System.Buffers.Binary;

namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class TgaContainer
{
    public static ContainerFacts Scan(ReadOnlySpan<byte> data)
    {
        if (data.Length < 18)
        {
            throw ContainerException.EndsEarly("it ends inside the 18-byte TGA header");
        }
        int idLength = data[0];
        int imageType = data[2];
        int mapLength = data[1] == 0 ? 0 : BinaryPrimitives.ReadUInt16LittleEndian(data[5..]);
        int mapEntryBytes = (data[7] + 7) / 8;
        long width = BinaryPrimitives.ReadUInt16LittleEndian(data[12..]);
        long height = BinaryPrimitives.ReadUInt16LittleEndian(data[14..]);
        int pixelBytes = (data[16] + 7) / 8;
        if (imageType is not (1 or 2 or 3 or 9 or 10 or 11) || pixelBytes == 0)
        {
            throw ContainerException.Corrupt($"its header names image type {imageType} with {data[16]} bits per pixel, which TGA does not define");
        }
        long position = 18L + idLength + (long)mapLength * mapEntryBytes;
        long pixels = width * height;
        if (imageType < 9)
        {
            long end = position + pixels * pixelBytes;
            if (end > data.Length)
            {
                throw ContainerException.EndsEarly($"its {height}×{width} pixels need bytes up to {end}");
            }
        }
        else
        {
            // Run-length packets: a header byte (count - 1, top bit set for a run of one value), then one or count values.
            for (long decoded = 0; decoded < pixels;)
            {
                if (position >= data.Length)
                {
                    throw ContainerException.EndsEarly($"its run-length pixel data ends after {decoded} of {pixels} pixels");
                }
                int header = data[(int)position++];
                int count = (header & 0x7F) + 1;
                position += (header & 0x80) != 0 ? pixelBytes : (long)count * pixelBytes;
                decoded += count;
            }
            if (position > data.Length)
            {
                throw ContainerException.EndsEarly($"its run-length pixel data ends inside the last packet");
            }
        }
        int alphaBits = data[17] & 0x0F;
        return new ContainerFacts(ImageFormatKind.Tga) { CanHaveAlpha = alphaBits > 0 || data[16] is 16 or 32 };
    }
}
