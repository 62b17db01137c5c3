// WebP (https://developers.google.com/speed/webp/docs/riff_container): "RIFF", a size, "WEBP", then chunks (FourCC,
// size, data padded to even). Every chunk must lie inside the file. A still image is VP8 (lossy), VP8L (lossless, with
// an alpha flag in its header) or VP8X with optional ALPH. ImageSharp 2.1 refuses animations outright, so an animated
// file (ANMF chunks) is handed to the decoder as a still WebP made of its first frame's own chunks: the frame is read
// at its own size, and the count of frames is reported.
using System.Buffers.Binary;

namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class WebpContainer
{
    public static bool Matches(ReadOnlySpan<byte> data) =>
        data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8);

    public static ContainerFacts Scan(ReadOnlySpan<byte> data)
    {
        long declared = 8L + BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (declared > data.Length)
        {
            throw ContainerException.EndsEarly($"its RIFF header promises {declared} bytes");
        }
        var chunks = Chunks(data[..(int)declared], 12);
        int frames = chunks.Count(c => c.Type == "ANMF");
        if (frames == 0)
        {
            var (lossy, alpha) = Describe(data, chunks);
            bool flagged = chunks.FirstOrDefault(c => c.Type == "VP8X") is { Length: >= 1 } x && (data[x.Start] & 0x10) != 0;
            return new ContainerFacts(ImageFormatKind.Webp) { Lossy = lossy, CanHaveAlpha = alpha || flagged };
        }
        var first = chunks.First(c => c.Type == "ANMF");
        if (first.Length < 16)
        {
            throw ContainerException.Corrupt("its first animation frame has no frame header");
        }
        var frameChunks = Chunks(data.Slice(first.Start, first.Length), 16);
        var (frameLossy, frameAlpha) = Describe(data.Slice(first.Start, first.Length), frameChunks);
        int width = (int)(Read24(data[(first.Start + 6)..]) + 1), height = (int)(Read24(data[(first.Start + 9)..]) + 1);
        byte[] still = Still(data.Slice(first.Start, first.Length), frameChunks, width, height);
        return new ContainerFacts(ImageFormatKind.Webp) { Frames = frames, Lossy = frameLossy, CanHaveAlpha = frameAlpha, FirstFrameOnly = still };
    }

    private readonly record struct Chunk(string Type, int Start, int Length);

    private static List<Chunk> Chunks(ReadOnlySpan<byte> data, int position)
    {
        var chunks = new List<Chunk>();
        while (position < data.Length)
        {
            if (position + 8 > data.Length)
            {
                throw ContainerException.EndsEarly("it ends inside a chunk header");
            }
            string type = System.Text.Encoding.ASCII.GetString(data.Slice(position, 4));
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 4)..]);
            if (position + 8L + length > data.Length)
            {
                throw ContainerException.EndsEarly($"it ends inside {ContainerScan.Name(data.Slice(position, 4))} chunk");
            }
            chunks.Add(new Chunk(type, position + 8, (int)length));
            position += 8 + (int)length + (int)(length & 1);
        }
        if (!chunks.Any(c => c.Type is "VP8 " or "VP8L" or "ANMF"))
        {
            throw ContainerException.EndsEarly("it holds no image data (no VP8, VP8L or ANMF chunk)");
        }
        return chunks;
    }

    // Lossy when the image data is VP8; alpha when there is an ALPH chunk or the VP8L header's alpha_is_used bit.
    private static (bool Lossy, bool Alpha) Describe(ReadOnlySpan<byte> data, List<Chunk> chunks)
    {
        bool alpha = chunks.Any(c => c.Type == "ALPH");
        if (chunks.FirstOrDefault(c => c.Type == "VP8L") is { Length: >= 5 } lossless)
        {
            return (false, alpha || (data[lossless.Start + 4] & 0x10) != 0);
        }
        return (chunks.Any(c => c.Type == "VP8 "), alpha);
    }

    private static uint Read24(ReadOnlySpan<byte> data) => (uint)(data[0] | (data[1] << 8) | (data[2] << 16));

    // RIFF/WEBP around the frame's ALPH (then under a VP8X header of the frame's size) and VP8/VP8L chunks.
    private static byte[] Still(ReadOnlySpan<byte> frame, List<Chunk> chunks, int width, int height)
    {
        var image = chunks.FirstOrDefault(c => c.Type is "VP8 " or "VP8L");
        if (image.Type is null)
        {
            throw ContainerException.Corrupt("its first animation frame holds no VP8 or VP8L image data");
        }
        var alpha = chunks.FirstOrDefault(c => c.Type == "ALPH");
        using var output = new MemoryStream();
        output.Write("RIFF\0\0\0\0WEBP"u8);
        if (alpha.Type is not null && image.Type == "VP8 ")
        {
            Span<byte> vp8x = stackalloc byte[18];
            "VP8X"u8.CopyTo(vp8x);
            BinaryPrimitives.WriteUInt32LittleEndian(vp8x[4..], 10);
            vp8x[8] = 0x10;
            Write24(vp8x[12..], width - 1);
            Write24(vp8x[15..], height - 1);
            output.Write(vp8x);
            WriteChunk(output, frame, alpha);
        }
        WriteChunk(output, frame, image);
        byte[] bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> frame, Chunk chunk)
    {
        Span<byte> header = stackalloc byte[8];
        System.Text.Encoding.ASCII.GetBytes(chunk.Type, header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)chunk.Length);
        output.Write(header);
        output.Write(frame.Slice(chunk.Start, chunk.Length));
        if ((chunk.Length & 1) != 0)
        {
            output.WriteByte(0);
        }
    }

    private static void Write24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
