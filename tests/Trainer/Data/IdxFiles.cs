// Writes small IDX files (raw or gzipped) for the data tests, byte by byte from the format description,
// so the reader is checked against files it did not produce.
using System.Buffers.Binary;
using System.IO.Compression;

namespace VaeOnnx.Tests.Trainer.Data;

internal static class IdxFiles
{
    public static byte[] Images(int count, int rows, int columns, int seed, int magic = 0x00000803, int extraBytes = 0, int missingBytes = 0)
    {
        var random = new Random(seed);
        byte[] pixels = new byte[count * rows * columns];
        random.NextBytes(pixels);
        return Build([magic, count, rows, columns], pixels, extraBytes, missingBytes);
    }

    public static byte[] Labels(int count, int seed, int classes = 10, int magic = 0x00000801)
    {
        var random = new Random(seed);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)random.Next(classes);
        }
        return Build([magic, count], labels, 0, 0);
    }

    public static byte[] Build(int[] header, byte[] body, int extraBytes, int missingBytes)
    {
        byte[] file = new byte[header.Length * 4 + body.Length + extraBytes - missingBytes];
        for (int i = 0; i < header.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(file.AsSpan(i * 4), header[i]);
        }
        body.AsSpan(0, body.Length - missingBytes).CopyTo(file.AsSpan(header.Length * 4));
        return file;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Pixels of an IDX images file (after the 16-byte header).</summary>
    public static byte[] Body(byte[] imagesFile) => imagesFile[16..];
}
