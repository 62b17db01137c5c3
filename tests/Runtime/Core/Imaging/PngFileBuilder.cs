// Test helper: assembles PNG files chunk by chunk with correct CRCs, so tests can build exactly the file they want,
// such as a decompression bomb (a huge claimed size over little compressed data). It does no validation at all.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

internal sealed class PngFileBuilder
{
    public static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        uint c = (uint)n;
        for (int k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return c;
    }).ToArray();

    private readonly MemoryStream _bytes = new();

    public PngFileBuilder() => _bytes.Write(Signature);

    public PngFileBuilder Chunk(string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        _bytes.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        _bytes.Write(typeBytes);
        _bytes.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc([.. typeBytes, .. data]));
        _bytes.Write(word);
        return this;
    }

    public PngFileBuilder Ihdr(int width, int height, int bitDepth, int colorType)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), (uint)height);
        (data[8], data[9]) = ((byte)bitDepth, (byte)colorType);
        return Chunk("IHDR", data);
    }

    public byte[] Build() => _bytes.ToArray();

    /// <summary>A valid 16-bit grey PNG of width × height zero pixels: every row is a filter byte and zeros.</summary>
    public static byte[] Bomb(int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize))
        {
            var row = new byte[1 + width * 2];
            for (int y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }
        return new PngFileBuilder().Ihdr(width, height, 16, 0).Chunk("IDAT", compressed.ToArray()).Chunk("IEND", []).Build();
    }

    /// <summary>PNG's CRC-32 of a chunk's type and data.</summary>
    public static uint Crc(byte[] data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        }
        return c ^ 0xFFFFFFFFu;
    }
}
