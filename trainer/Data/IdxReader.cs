// Reads the IDX files that MNIST and Fashion-MNIST ship in (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"),
// gzip-compressed or raw (gzip detected by its magic bytes 1F 8B, not by the file name).
// Strict: the magic number, the dimensions and the exact data length are checked, and every failure names the file.
// It reads unsigned-byte files of rank 1 (labels, magic 0x00000801) and rank 3 (images, magic 0x00000803) only.
using System.Buffers.Binary;
using System.IO.Compression;

using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Data;

/// <summary>Images of an IDX file: <see cref="Count"/> x <see cref="Rows"/> x <see cref="Columns"/> bytes, row-major.</summary>
public sealed record IdxImages(byte[] Pixels, int Count, int Rows, int Columns);

public static class IdxReader
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    // Far beyond any IDX image set; keeps a corrupt header from asking for gigabytes.
    private const int MaxSide = 4096;

    public static IdxImages ReadImages(string path)
    {
        return Read(path, ImagesMagic, rank: 3, "images", stream =>
        {
            int count = ReadDimension(stream, path, "image count");
            int rows = ReadDimension(stream, path, "row count");
            int columns = ReadDimension(stream, path, "column count");
            if (rows == 0 || columns == 0 || rows > MaxSide || columns > MaxSide)
            {
                throw new DatasetException($"{path}: images of {rows} x {columns} pixels are not plausible (1 to {MaxSide} per side); the file is corrupt. Download it again.");
            }
            long length = (long)count * rows * columns;
            if (length > Array.MaxLength)
            {
                throw new DatasetException($"{path}: {count} images of {rows} x {columns} pixels do not fit in memory; the header is probably corrupt. Download the file again.");
            }
            byte[] pixels = ReadExactly(stream, path, (int)length, $"{count} images of {rows} x {columns} pixels");
            return new IdxImages(pixels, count, rows, columns);
        });
    }

    public static byte[] ReadLabels(string path)
    {
        return Read(path, LabelsMagic, rank: 1, "labels", stream =>
        {
            int count = ReadDimension(stream, path, "label count");
            return ReadExactly(stream, path, count, $"{count} labels");
        });
    }

    private static T Read<T>(string path, int expectedMagic, int rank, string what, Func<Stream, T> readBody)
    {
        if (InputPaths.FolderInsteadOfFile(path, $"an IDX {what} file") is string wrongKind)
        {
            throw new DatasetException($"{wrongKind}; give the file itself.");
        }
        if (!File.Exists(path))
        {
            throw new DatasetException($"{path}: file not found.");
        }
        if (new FileInfo(path).Length == 0)
        {
            throw new DatasetException($"{path} is empty (0 bytes), probably an interrupted download; delete it so that it is downloaded again, or copy the file there.");
        }
        try
        {
            using Stream stream = Open(path);
            int magic = ReadInt32(stream, path, "magic number");
            if (magic != expectedMagic)
            {
                string hint = magic == (expectedMagic ^ ImagesMagic ^ LabelsMagic)
                    ? $" (that is the magic of an IDX {(what == "images" ? "labels" : "images")} file: are the file names swapped?)"
                    : (magic & 0xFFFF00) == 0x000800 ? $" (an unsigned-byte IDX file of rank {magic & 0xFF}; expected rank {rank})" : "";
                throw new DatasetException($"{path}: bad magic number 0x{magic:X8}, expected 0x{expectedMagic:X8} for an IDX {what} file{hint}.");
            }
            T result = readBody(stream);
            if (stream.ReadByte() >= 0)
            {
                throw new DatasetException($"{path}: unexpected data after the last of the {what}; the file is corrupt or not an IDX {what} file.");
            }
            return result;
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException($"{path}: corrupt gzip data ({e.Message}). Delete the file and download it again.", e);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new DatasetException($"{path}: cannot read the file ({e.Message}).", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DatasetException($"{path}: cannot read the file ({e.Message}).", e);
        }
    }

    private static Stream Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        bool gzip = read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        return gzip ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 16) : file;
    }

    private static int ReadDimension(Stream stream, string path, string name)
    {
        int value = ReadInt32(stream, path, name);
        if (value < 0)
        {
            throw new DatasetException($"{path}: negative {name} {value} in the header; the file is corrupt.");
        }
        return value;
    }

    private static int ReadInt32(Stream stream, string path, string name)
    {
        Span<byte> bytes = stackalloc byte[4];
        int read = stream.ReadAtLeast(bytes, 4, throwOnEndOfStream: false);
        if (read < 4)
        {
            throw new DatasetException($"{path}: truncated: the file ends inside the header (reading the {name}).");
        }
        return BinaryPrimitives.ReadInt32BigEndian(bytes);
    }

    private static byte[] ReadExactly(Stream stream, string path, int length, string what)
    {
        byte[] data = new byte[length];
        int read = stream.ReadAtLeast(data, length, throwOnEndOfStream: false);
        if (read < length)
        {
            throw new DatasetException($"{path}: truncated: the header announces {what} ({length} bytes) but only {read} bytes follow. Download the file again.");
        }
        return data;
    }
}
