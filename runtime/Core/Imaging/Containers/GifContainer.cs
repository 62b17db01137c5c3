// GIF (https://www.w3.org/Graphics/GIF/spec-gif89a.txt): header and logical screen (the canvas), an optional global
// colour table, then extension blocks (0x21) and images (0x2C), each ending in data sub-blocks, up to the trailer
// (0x3B). Every frame is counted; a file of several frames is cut after its first image and closed with a trailer, so
// the decoder never walks (or allocates for) the others: a 4.6 KB file of 200 one-pixel frames on a 4000 × 4000 canvas
// used to cost 197 MB per frame. A file that ends inside a block is truncated; one that ends cleanly between blocks
// without the trailer is accepted (encoders omit it). Alpha is possible with a transparent colour or a first frame
// that leaves part of the canvas uncovered.
using System.Buffers.Binary;

namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class GifContainer
{
    public static bool Matches(ReadOnlySpan<byte> data) => data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8);

    public static ContainerFacts Scan(ReadOnlySpan<byte> data)
    {
        if (data.Length < 13)
        {
            throw ContainerException.EndsEarly("it ends inside the GIF header");
        }
        int canvasWidth = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        int canvasHeight = BinaryPrimitives.ReadUInt16LittleEndian(data[8..]);
        int position = 13 + ColourTableBytes(data[10]);
        Require(data, position, "the global colour table");

        int frames = 0;
        int firstFrameEnd = -1;
        bool alpha = false;
        while (position < data.Length)
        {
            byte introducer = data[position++];
            if (introducer == 0x3B)
            {
                break;
            }
            if (introducer == 0x21)
            {
                Require(data, position + 1, "an extension block");
                byte label = data[position++];
                if (label == 0xF9 && frames == 0 && position + 2 <= data.Length && data[position] >= 1)
                {
                    alpha |= (data[position + 1] & 1) != 0; // the first frame's transparent-colour flag
                }
                position = SkipSubBlocks(data, position);
            }
            else if (introducer == 0x2C)
            {
                Require(data, position + 9, "an image descriptor");
                int left = BinaryPrimitives.ReadUInt16LittleEndian(data[position..]);
                int top = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 2)..]);
                int width = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 4)..]);
                int height = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 6)..]);
                if (frames == 0 && (left > 0 || top > 0 || width < canvasWidth || height < canvasHeight))
                {
                    alpha = true; // the canvas outside the first frame stays transparent
                }
                position += 9 + ColourTableBytes(data[position + 8]);
                Require(data, position + 1, "a local colour table");
                position = SkipSubBlocks(data, position + 1); // after the LZW minimum code size
                if (++frames == 1)
                {
                    firstFrameEnd = position;
                }
            }
            else
            {
                if (frames == 0)
                {
                    throw ContainerException.Corrupt($"byte {position - 1} starts no GIF block (0x{introducer:X2})");
                }
                break; // garbage after a complete frame: what decoders do is stop there
            }
        }
        if (frames == 0)
        {
            throw ContainerException.EndsEarly("it ends before its first image");
        }
        byte[]? firstOnly = null;
        if (frames > 1)
        {
            firstOnly = new byte[firstFrameEnd + 1];
            data[..firstFrameEnd].CopyTo(firstOnly);
            firstOnly[^1] = 0x3B;
        }
        return new ContainerFacts(ImageFormatKind.Gif) { Frames = frames, CanHaveAlpha = alpha, FirstFrameOnly = firstOnly };
    }

    private static int ColourTableBytes(byte packed) => (packed & 0x80) != 0 ? 3 << ((packed & 0x07) + 1) : 0;

    private static void Require(ReadOnlySpan<byte> data, int end, string what)
    {
        if (end > data.Length)
        {
            throw ContainerException.EndsEarly($"it ends inside {what}");
        }
    }

    // Data sub-blocks: a length byte, that many bytes, ..., a zero length.
    private static int SkipSubBlocks(ReadOnlySpan<byte> data, int position)
    {
        while (true)
        {
            if (position >= data.Length)
            {
                throw ContainerException.EndsEarly("it ends inside a block of image or extension data");
            }
            int length = data[position++];
            if (length == 0)
            {
                return position;
            }
            position += length;
        }
    }
}
