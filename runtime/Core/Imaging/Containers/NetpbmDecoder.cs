// Reads Netpbm samples (P1-P6) into a 16-bit RGBA image, in place of ImageSharp 2.1.13's PbmDecoder: that one skips
// every whitespace character and '#' comment after the header, so a binary file whose first samples are 9-13, 32 or
// 35 loses them and decodes shifted with its last row missing, and it reads P1's run-together digits ("0101") as one
// number. Here binary samples start after exactly the one whitespace character the format puts there, and plain
// samples are read digit by digit (P1) or number by number (P2, P3). PbmContainer has already checked that every
// sample is present; the image is allocated from the caller's configuration, so its DecodeBudget counts it.
using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class NetpbmDecoder
{
    /// <summary>The header as ImageSharp's identify would give it.</summary>
    public static IImageInfo Identify(ReadOnlySpan<byte> data)
    {
        var header = PbmContainer.ReadHeader(data);
        return new Info(new PixelTypeInfo(header.Channels * (header.Max > 255 ? 16 : 8)), (int)Math.Min(header.Width, int.MaxValue),
            (int)Math.Min(header.Height, int.MaxValue), new ImageMetadata());
    }

    /// <summary>The samples, scaled from 0..Max to 0..65535 (bitmaps: 1 is black).</summary>
    public static Image<Rgba64> Decode(ReadOnlySpan<byte> data, Configuration configuration)
    {
        var header = PbmContainer.ReadHeader(data);
        int width = (int)header.Width, height = (int)header.Height, channels = header.Channels;
        var image = new Image<Rgba64>(configuration, width, height);
        try
        {
            int position = header.DataStart;
            Span<ushort> sample = stackalloc ushort[3];
            for (int y = 0; y < height; y++)
            {
                Span<Rgba64> row = image.DangerousGetPixelRowMemory(y).Span;
                for (int x = 0; x < width; x++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        sample[c] = Next(data, header, ref position, x);
                    }
                    row[x] = channels == 1
                        ? new Rgba64(sample[0], sample[0], sample[0], ushort.MaxValue)
                        : new Rgba64(sample[0], sample[1], sample[2], ushort.MaxValue);
                }
                if (header.Kind == 4 && width % 8 != 0)
                {
                    position++; // each row of a binary bitmap ends on a byte boundary
                }
            }
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    // The next sample at `position`, scaled to 16 bits.
    private static ushort Next(ReadOnlySpan<byte> data, PbmContainer.Header header, ref int position, int x)
    {
        long value;
        switch (header.Kind)
        {
            case 4:
                value = (data[position] >> (7 - (x % 8))) & 1;
                if (x % 8 == 7) position++;
                return value == 1 ? (ushort)0 : ushort.MaxValue;
            case 5 or 6:
                if (header.Max > 255)
                {
                    value = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
                    position += 2;
                }
                else
                {
                    value = data[position++];
                }
                break;
            case 1:
                while (data[position] is not ((byte)'0' or (byte)'1'))
                {
                    SkipSpaceOrComment(data, ref position);
                }
                return data[position++] == '1' ? (ushort)0 : ushort.MaxValue;
            default:
                PbmContainer.SkipSpaceAndComments(data, ref position);
                value = 0;
                while (position < data.Length && data[position] is >= (byte)'0' and <= (byte)'9')
                {
                    value = Math.Min(value * 10 + (data[position++] - '0'), header.Max);
                }
                break;
        }
        return (ushort)((Math.Min(value, header.Max) * 65535 + header.Max / 2) / header.Max);
    }

    private static void SkipSpaceOrComment(ReadOnlySpan<byte> data, ref int position)
    {
        int before = position;
        PbmContainer.SkipSpaceAndComments(data, ref position);
        if (position == before)
        {
            position++; // a character that is neither a digit, space nor comment: P1 ignores it
        }
    }

    private sealed record Info(PixelTypeInfo PixelType, int Width, int Height, ImageMetadata Metadata) : IImageInfo;
}
