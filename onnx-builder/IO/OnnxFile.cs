// Writes models to .onnx files and streams (validated first; files atomically: a temporary file in the same folder,
// flushed to disk, then moved over the target, so an existing model is never left half-written) and reads them back
// into the generated classes. Reading does not validate: it is for inspection. No external-data files.
using Google.Protobuf;
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public static class OnnxFile
{
    /// <summary>Validates <paramref name="model"/> and writes it to <paramref name="path"/> atomically.</summary>
    public static void Write(ModelProto model, string path, IReadOnlyDictionary<string, IReadOnlySet<string>>? declaredRequired = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException($"A model path must be non-empty, got '{path}'.", nameof(path));
        GraphValidator.Validate(model, declaredRequired);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot write '{fullPath}': folder '{folder}' does not exist; create it first.");
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                model.WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>Validates <paramref name="model"/> and writes its bytes to <paramref name="stream"/>.</summary>
    public static void Write(ModelProto model, Stream stream, IReadOnlyDictionary<string, IReadOnlySet<string>>? declaredRequired = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        GraphValidator.Validate(model, declaredRequired);
        model.WriteTo(stream);
    }

    /// <summary>Validates <paramref name="model"/> and returns its serialized bytes.</summary>
    public static byte[] ToBytes(ModelProto model, IReadOnlyDictionary<string, IReadOnlySet<string>>? declaredRequired = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        GraphValidator.Validate(model, declaredRequired);
        return model.ToByteArray();
    }

    /// <summary>Parses the model at <paramref name="path"/>.</summary>
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No ONNX model at '{Path.GetFullPath(path)}'.", path);
        using var stream = File.OpenRead(path);
        return Parse(stream, $"'{path}'");
    }

    /// <summary>Parses a model from <paramref name="stream"/> (read to its end).</summary>
    public static ModelProto Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Parse(stream, "the stream");
    }

    /// <summary>Parses a model from its serialized bytes.</summary>
    public static ModelProto Parse(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"The {bytes.Length} bytes are not an ONNX model: {e.Message}", e);
        }
    }

    private static ModelProto Parse(Stream stream, string source)
    {
        try
        {
            return ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{char.ToUpperInvariant(source[0])}{source[1..]} is not an ONNX model (protobuf parse failed: {e.Message}); check that it is a .onnx file and not truncated.", e);
        }
    }
}
