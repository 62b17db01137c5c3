// Reads PNG chunks (length, type, data, CRC) from a stream, checking the CRC of every chunk and the form of every
// type code. A hostile length cannot make it allocate more than the stream actually holds: large chunks are read
// in pieces. It knows nothing about chunk order or meaning; PngDecoder does.
namespace VaeOnnx.Runtime.Imaging;

internal readonly record struct PngChunk(string Type, byte[] Data, long Offset)
{
    /// <summary>Critical chunks have an upper-case first letter (spec 5.4): a decoder that does not know one must stop.</summary>
    public bool IsCritical => char.IsAsciiLetterUpper(Type[0]);
}

internal sealed class PngChunkReader
{
    private const int PieceSize = 1 << 20;
    private readonly Stream _stream;
    private long _offset;

    public PngChunkReader(Stream stream, long offset)
    {
        _stream = stream;
        _offset = offset;
    }

    /// <summary>The next chunk, or null when the stream ends exactly at a chunk boundary.</summary>
    public PngChunk? ReadChunk()
    {
        long start = _offset;
        Span<byte> head = stackalloc byte[8];
        int got = Fill(head);
        if (got == 0)
        {
            return null;
        }
        if (got < head.Length)
        {
            throw new PngFormatException($"File is truncated: chunk header at byte {start} has only {got} of 8 bytes.");
        }
        uint length = PngHeader.ReadUInt32(head);
        ReadOnlySpan<byte> typeBytes = head[4..];
        foreach (byte b in typeBytes)
        {
            if (!char.IsAsciiLetter((char)b))
            {
                throw new PngFormatException(
                    $"Invalid chunk type bytes {Convert.ToHexString(typeBytes)} at byte {start + 4}; chunk types are four ASCII letters. The file is corrupt.");
            }
        }
        string type = System.Text.Encoding.ASCII.GetString(typeBytes);
        if (length > int.MaxValue)
        {
            throw new PngFormatException($"Chunk '{type}' at byte {start} declares length {length}; PNG limits chunks to 2^31-1 bytes.");
        }
        byte[] data = ReadData(type, (int)length, start);
        Span<byte> crcBytes = stackalloc byte[4];
        if (Fill(crcBytes) < 4)
        {
            throw new PngFormatException($"File is truncated: chunk '{type}' at byte {start} ends before its CRC.");
        }
        uint stored = PngHeader.ReadUInt32(crcBytes);
        uint actual = Crc32.Compute(data, Crc32.Compute(typeBytes));
        if (stored != actual)
        {
            throw new PngFormatException(
                $"CRC mismatch in chunk '{type}' at byte {start}: stored 0x{stored:X8}, computed 0x{actual:X8}. The file is corrupt.");
        }
        return new PngChunk(type, data, start);
    }

    private byte[] ReadData(string type, int length, long start)
    {
        if (length <= PieceSize)
        {
            var data = new byte[length];
            int got = Fill(data);
            if (got < length)
            {
                throw Truncated(type, start, got, length);
            }
            return data;
        }
        // Grow only as fast as real bytes arrive, so a forged length of 2 GB costs nothing.
        using var buffer = new MemoryStream();
        var piece = new byte[PieceSize];
        long remaining = length;
        while (remaining > 0)
        {
            int want = (int)Math.Min(remaining, PieceSize);
            int got = Fill(piece.AsSpan(0, want));
            buffer.Write(piece, 0, got);
            if (got < want)
            {
                throw Truncated(type, start, buffer.Length, length);
            }
            remaining -= got;
        }
        return buffer.ToArray();
    }

    private static PngFormatException Truncated(string type, long start, long got, int length) =>
        new($"File is truncated: chunk '{type}' at byte {start} declares {length} data bytes but only {got} follow.");

    private int Fill(Span<byte> buffer)
    {
        int got = _stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        _offset += got;
        return got;
    }
}
