// Writes models to streams and byte arrays, validated before the first byte, and reads them back (from files too) into
// the generated classes. Reading does not validate: it is for inspection. No external-data files.
// It deliberately writes no files: how a file is replaced (temporary name, fsync, rename) is the application's policy,
// defined once in VaeOnnx by runtime/Core's AtomicFile (`AtomicFile.Write(path, builder.Save)`), which this library
// cannot reference (it is the lower layer).
using Google.Protobuf;
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public static class OnnxFile
{
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
