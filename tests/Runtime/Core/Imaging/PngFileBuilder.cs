// Test helper: assembles PNG files chunk by chunk with correct CRCs (unless told otherwise), so tests can build
// exactly the malformed file they want. It deliberately does no validation at all.
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

internal sealed class PngFileBuilder
{
    public static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    private readonly MemoryStream _bytes = new();

    public PngFileBuilder(bool signature = true)
    {
        if (signature)
        {
            _bytes.Write(Signature);
        }
    }

    public PngFileBuilder Chunk(string type, byte[] data, uint? crc = null)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        _bytes.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        _bytes.Write(typeBytes);
        _bytes.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc ?? Crc32.Compute(data, Crc32.Compute(typeBytes)));
        _bytes.Write(word);
        return this;
    }

    public PngFileBuilder Ihdr(int width, int height, int bitDepth, int colorType, int interlace = 0, int compression = 0, int filter = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), (uint)height);
        (data[8], data[9], data[10], data[11], data[12]) = ((byte)bitDepth, (byte)colorType, (byte)compression, (byte)filter, (byte)interlace);
        return Chunk("IHDR", data);
    }

    /// <summary>One IDAT holding <paramref name="filteredRows"/> (filter bytes included) zlib-compressed.</summary>
    public PngFileBuilder Idat(byte[] filteredRows) => Chunk("IDAT", Zlib(filteredRows));

    public PngFileBuilder Iend() => Chunk("IEND", []);

    public byte[] Build() => _bytes.ToArray();

    public static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Splits a PNG into its chunks (type, data), trusting the lengths; for rebuilding mutated files.</summary>
    public static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        int offset = 8;
        while (offset + 12 <= png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            string type = Encoding.ASCII.GetString(png, offset + 4, 4);
            chunks.Add((type, png.AsSpan(offset + 8, length).ToArray()));
            offset += 12 + length;
        }
        return chunks;
    }
}
