// The PNG entry points the rest of the runtime uses: decode/encode on streams and byte arrays, read/write files.
// Writing a file is atomic (a temporary file in the same folder, then a rename), so a crash or a full disk never
// leaves a half-written PNG where a good one was. Format details live in PngDecoder and PngEncoder.
namespace VaeOnnx.Runtime.Imaging;

public static class Png
{
    /// <summary>Decodes one PNG from <paramref name="stream"/>. Malformed data raises <see cref="PngFormatException"/>.</summary>
    public static PngImage Decode(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return PngDecoder.Decode(stream);
    }

    public static PngImage Decode(ReadOnlySpan<byte> data)
    {
        using var stream = new MemoryStream(data.ToArray(), writable: false);
        return PngDecoder.Decode(stream);
    }

    /// <summary>Reads a PNG file; a format error's message starts with the path.</summary>
    public static PngImage Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return PngDecoder.Decode(stream);
        }
        catch (PngFormatException e)
        {
            throw new PngFormatException($"{path}: {e.Message}", e);
        }
    }

    public static void Encode(PngImage image, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(stream);
        PngEncoder.Encode(image, stream);
    }

    public static byte[] Encode(PngImage image)
    {
        using var stream = new MemoryStream();
        Encode(image, stream);
        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> atomically, creating the folder if needed.</summary>
    public static void Write(PngImage image, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                PngEncoder.Encode(image, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
