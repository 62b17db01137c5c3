// The checkpoint file: a fixed header (magic, format version, payload length, SHA-256 of the payload) and a payload of
// tagged sections, little-endian throughout; README.md beside this file gives the byte layout. Save goes through
// Core's AtomicFile, so an interrupted save never damages the checkpoint already there. Load checks magic, version,
// length and checksum before parsing anything.
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using VaeOnnx.Trainer.Engine.Optim;

using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Trainer.Engine.Serialization;

public static class CheckpointFile
{
    public const int FormatVersion = 1;

    /// <summary>The first 8 bytes of every checkpoint.</summary>
    public static ReadOnlySpan<byte> Magic => "VAEOCKPT"u8;

    private const int HeaderSize = 8 + 4 + 4 + 8 + 32;

    private static ReadOnlySpan<byte> MetadataTag => "META"u8;
    private static ReadOnlySpan<byte> ParametersTag => "PARM"u8;
    private static ReadOnlySpan<byte> OptimizerTag => "OPTM"u8;
    private static ReadOnlySpan<byte> RandomTag => "RAND"u8;

    /// <summary>Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically (AtomicFile.Write).</summary>
    public static void Save(string path, Checkpoint checkpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(checkpoint);
        byte[] payload = WritePayload(checkpoint);
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), 0); // flags, reserved
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), payload.LongLength);
        SHA256.HashData(payload, header.AsSpan(24, 32));

        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot save checkpoint {path}: folder {folder} does not exist; create it first.");
        }
        AtomicFile.Write(fullPath, stream =>
        {
            stream.Write(header);
            stream.Write(payload);
        });
    }

    /// <summary>Reads and verifies a checkpoint; throws <see cref="InvalidDataException"/> naming the file and the problem.</summary>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint {path} not found.", path);
        }
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            throw new InvalidDataException($"Checkpoint {path} is empty (0 bytes); it was not written by a completed save.");
        }
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            string start = Convert.ToHexString(bytes.AsSpan(0, Math.Min(8, bytes.Length)));
            throw new InvalidDataException(
                $"{path} is not a VaeOnnx checkpoint: it starts with 0x{start}, not with \"{Encoding.ASCII.GetString(Magic)}\". Pass the checkpoint.bin that training wrote.");
        }
        if (bytes.Length < HeaderSize)
        {
            throw new InvalidDataException($"Checkpoint {path} is truncated: {bytes.Length} bytes, shorter than its {HeaderSize}-byte header.");
        }
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version != FormatVersion)
        {
            throw new InvalidDataException(
                $"Checkpoint {path} has format version {version}; this build reads version {FormatVersion}. Use the VaeOnnx version that wrote it.");
        }
        long payloadLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16));
        long available = bytes.Length - HeaderSize;
        if (payloadLength < 0 || payloadLength > available)
        {
            throw new InvalidDataException(
                $"Checkpoint {path} is truncated: its header announces {payloadLength} payload bytes but only {available} follow (was the copy or the write interrupted?).");
        }
        if (payloadLength < available)
        {
            throw new InvalidDataException($"Checkpoint {path} is corrupt: {available - payloadLength} unexpected bytes after the payload.");
        }
        ReadOnlySpan<byte> payload = bytes.AsSpan(HeaderSize);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(bytes.AsSpan(24, 32)))
        {
            throw new InvalidDataException($"Checkpoint {path} is corrupt: checksum mismatch (SHA-256 of the payload differs from the header's).");
        }
        try
        {
            return ReadPayload(bytes, HeaderSize, path);
        }
        catch (Exception e) when (e is ArgumentException or ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException($"Checkpoint {path} is malformed although its checksum is right (written by a faulty writer?): {e.Message}", e);
        }
    }

    private static byte[] WritePayload(Checkpoint checkpoint)
    {
        var writer = new PayloadWriter();

        writer.Tag(MetadataTag);
        writer.Int32(checkpoint.Metadata.Count);
        foreach (var (key, value) in checkpoint.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.String(key);
            writer.String(value);
        }

        writer.Tag(ParametersTag);
        writer.Int32(checkpoint.Parameters.Count);
        foreach (NamedTensor t in checkpoint.Parameters)
        {
            writer.String(t.Name);
            writer.Int32(t.Shape.Length);
            foreach (int d in t.Shape)
            {
                writer.Int32(d);
            }
            writer.Floats(t.Data);
        }

        writer.Tag(OptimizerTag);
        OptimizerState? optimizer = checkpoint.Optimizer;
        writer.Int32(optimizer is null ? 0 : 1);
        if (optimizer is not null)
        {
            writer.String(optimizer.Kind);
            writer.Int64(optimizer.Step);
            writer.Int32(optimizer.Settings.Count);
            foreach (var (key, value) in optimizer.Settings.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.String(key);
                writer.Double(value);
            }
            writer.Int32(optimizer.Buffers.Count);
            foreach (NamedBuffer b in optimizer.Buffers)
            {
                writer.String(b.Name);
                writer.Int32(b.Data.Length);
                writer.Floats(b.Data);
            }
        }

        writer.Tag(RandomTag);
        writer.Int32(checkpoint.RandomStates.Count);
        foreach (var (name, state) in checkpoint.RandomStates.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.String(name);
            writer.Int32(state.Length);
            foreach (ulong word in state)
            {
                writer.Int64((long)word);
            }
        }
        return writer.ToArray();
    }

    private static Checkpoint ReadPayload(byte[] bytes, int start, string path)
    {
        var reader = new PayloadReader(bytes, start);

        reader.Tag(MetadataTag);
        var metadata = new Dictionary<string, string>();
        for (int i = reader.Count(); i > 0; i--)
        {
            metadata[reader.String()] = reader.String();
        }

        reader.Tag(ParametersTag);
        var parameters = new List<NamedTensor>();
        for (int i = reader.Count(); i > 0; i--)
        {
            string name = reader.String();
            var shape = new int[reader.Count()];
            for (int d = 0; d < shape.Length; d++)
            {
                shape[d] = reader.Count();
            }
            long length = shape.Aggregate(1L, (a, d) => checked(a * d));
            parameters.Add(new NamedTensor(name, shape, reader.Floats(checked((int)length))));
        }

        reader.Tag(OptimizerTag);
        OptimizerState? optimizer = null;
        if (reader.Count() != 0)
        {
            string kind = reader.String();
            long step = reader.Int64();
            var settings = new Dictionary<string, double>();
            for (int i = reader.Count(); i > 0; i--)
            {
                settings[reader.String()] = reader.Double();
            }
            var buffers = new List<NamedBuffer>();
            for (int i = reader.Count(); i > 0; i--)
            {
                string name = reader.String();
                buffers.Add(new NamedBuffer(name, reader.Floats(reader.Count())));
            }
            optimizer = new OptimizerState(kind, step, settings, buffers);
        }

        reader.Tag(RandomTag);
        var randoms = new Dictionary<string, ulong[]>();
        for (int i = reader.Count(); i > 0; i--)
        {
            string name = reader.String();
            var state = new ulong[reader.Count()];
            for (int w = 0; w < state.Length; w++)
            {
                state[w] = (ulong)reader.Int64();
            }
            randoms[name] = state;
        }
        reader.End();
        return new Checkpoint(parameters, optimizer, randoms, metadata, path);
    }


    private sealed class PayloadWriter
    {
        private readonly MemoryStream _stream = new();

        public void Tag(ReadOnlySpan<byte> tag) => _stream.Write(tag);

        public void Int32(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, value);
            _stream.Write(b);
        }

        public void Int64(long value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, value);
            _stream.Write(b);
        }

        public void Double(double value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(b, value);
            _stream.Write(b);
        }

        public void String(string value)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(value);
            Int32(utf8.Length);
            _stream.Write(utf8);
        }

        public void Floats(ReadOnlySpan<float> values)
        {
            if (BitConverter.IsLittleEndian)
            {
                _stream.Write(MemoryMarshal.AsBytes(values));
                return;
            }
            Span<byte> b = stackalloc byte[4];
            foreach (float v in values)
            {
                BinaryPrimitives.WriteSingleLittleEndian(b, v);
                _stream.Write(b);
            }
        }

        public byte[] ToArray() => _stream.ToArray();
    }

    private sealed class PayloadReader(byte[] bytes, int position)
    {
        private int _position = position;

        public void Tag(ReadOnlySpan<byte> tag)
        {
            ReadOnlySpan<byte> found = Take(tag.Length);
            if (!found.SequenceEqual(tag))
            {
                throw new ArgumentException($"expected section '{Encoding.ASCII.GetString(tag)}' at byte {_position - tag.Length}, found 0x{Convert.ToHexString(found)}");
            }
        }

        public int Count()
        {
            int value = BinaryPrimitives.ReadInt32LittleEndian(Take(4));
            if (value < 0)
            {
                throw new ArgumentException($"negative count {value} at byte {_position - 4}");
            }
            return value;
        }

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

        public string String() => Encoding.UTF8.GetString(Take(Count()));

        public float[] Floats(int count)
        {
            ReadOnlySpan<byte> raw = Take(checked(count * 4));
            var values = new float[count];
            if (BitConverter.IsLittleEndian)
            {
                raw.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
            }
            else
            {
                for (int i = 0; i < count; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
                }
            }
            return values;
        }

        public void End()
        {
            if (_position != bytes.Length)
            {
                throw new ArgumentException($"{bytes.Length - _position} bytes left after the last section");
            }
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > bytes.Length - _position)
            {
                throw new ArgumentException($"a field of {count} bytes at byte {_position} runs past the end ({bytes.Length} bytes)");
            }
            var span = bytes.AsSpan(_position, count);
            _position += count;
            return span;
        }
    }
}
