// Decodes a PNG stream into a PngImage: every colour type and bit depth the spec allows, PLTE + tRNS, Adam7.
// Sub-byte grey is scaled to 8 bits (v * 255 / (2^depth - 1)); palettes expand to RGB, or RGBA when tRNS is present;
// tRNS on grey/RGB becomes an alpha channel (0 where the sample equals the key, max elsewhere). 16-bit files stay 16-bit.
// Ancillary chunks are skipped (no gamma, no colour profile); anything malformed raises PngFormatException.
using System.IO.Compression;

namespace VaeOnnx.Runtime.Imaging;

internal static class PngDecoder
{
    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static PngImage Decode(Stream stream)
    {
        Span<byte> signature = stackalloc byte[8];
        int got = stream.ReadAtLeast(signature, 8, throwOnEndOfStream: false);
        if (got < 8 || !signature.SequenceEqual(Signature))
        {
            throw new PngFormatException(
                $"Not a PNG file: the first {got} bytes are {Convert.ToHexString(signature[..got])}; a PNG starts with 89504E470D0A1A0A.");
        }
        var reader = new PngChunkReader(stream, 8);
        PngHeader? header = null;
        byte[]? palette = null;
        byte[]? transparency = null;
        using var idat = new MemoryStream();
        bool idatSeen = false, idatEnded = false;
        while (true)
        {
            PngChunk chunk = reader.ReadChunk()
                ?? throw new PngFormatException(header is null
                    ? "File is truncated: it ends right after the PNG signature."
                    : "File is truncated: it ends without an IEND chunk.");
            if (header is null)
            {
                if (chunk.Type != "IHDR")
                {
                    throw new PngFormatException($"First chunk is '{chunk.Type}'; a PNG must start with IHDR.");
                }
                header = PngHeader.Parse(chunk.Data);
                continue;
            }
            if (idatSeen && chunk.Type != "IDAT")
            {
                idatEnded = true;
            }
            switch (chunk.Type)
            {
                case "IHDR":
                    throw new PngFormatException($"Second IHDR chunk at byte {chunk.Offset}; a PNG has exactly one.");
                case "PLTE":
                    palette = ReadPalette(header, chunk, palette, idatSeen);
                    break;
                case "tRNS":
                    transparency = ReadTransparency(header, chunk, palette, transparency, idatSeen);
                    break;
                case "IDAT":
                    if (idatEnded)
                    {
                        throw new PngFormatException($"IDAT chunk at byte {chunk.Offset} follows a non-IDAT chunk; IDAT chunks must be consecutive.");
                    }
                    idatSeen = true;
                    idat.Write(chunk.Data);
                    break;
                case "IEND":
                    if (!idatSeen)
                    {
                        throw new PngFormatException("No IDAT chunk before IEND: the file has no image data.");
                    }
                    if (header.ColorType == PngColorType.Indexed && palette is null)
                    {
                        throw new PngFormatException("Colour type 3 (palette) needs a PLTE chunk, and this file has none.");
                    }
                    return BuildImage(header, Inflate(header, idat), palette, transparency);
                default:
                    if (chunk.IsCritical)
                    {
                        throw new PngFormatException(
                            $"Unknown critical chunk '{chunk.Type}' at byte {chunk.Offset}; this decoder cannot display the image without understanding it.");
                    }
                    break;
            }
        }
    }

    private static byte[] ReadPalette(PngHeader header, PngChunk chunk, byte[]? existing, bool idatSeen)
    {
        if (existing is not null)
        {
            throw new PngFormatException($"Second PLTE chunk at byte {chunk.Offset}; a PNG has at most one.");
        }
        if (idatSeen)
        {
            throw new PngFormatException($"PLTE chunk at byte {chunk.Offset} comes after IDAT; it must come before.");
        }
        if (header.ColorType is PngColorType.Greyscale or PngColorType.GreyscaleAlpha)
        {
            throw new PngFormatException($"PLTE chunk is not allowed for colour type {(int)header.ColorType} ({header.ColorType}).");
        }
        int length = chunk.Data.Length;
        int maxEntries = header.ColorType == PngColorType.Indexed ? 1 << header.BitDepth : 256;
        if (length == 0 || length % 3 != 0 || length / 3 > maxEntries)
        {
            throw new PngFormatException(
                $"PLTE chunk has {length} bytes; it must hold 1..{maxEntries} RGB entries (a multiple of 3 bytes, at most {maxEntries * 3}).");
        }
        return chunk.Data;
    }

    private static byte[] ReadTransparency(PngHeader header, PngChunk chunk, byte[]? palette, byte[]? existing, bool idatSeen)
    {
        if (existing is not null)
        {
            throw new PngFormatException($"Second tRNS chunk at byte {chunk.Offset}; a PNG has at most one.");
        }
        if (idatSeen)
        {
            throw new PngFormatException($"tRNS chunk at byte {chunk.Offset} comes after IDAT; it must come before.");
        }
        int length = chunk.Data.Length;
        switch (header.ColorType)
        {
            case PngColorType.Indexed:
                if (palette is null)
                {
                    throw new PngFormatException($"tRNS chunk at byte {chunk.Offset} comes before PLTE; for palette images it must follow PLTE.");
                }
                if (length > palette.Length / 3)
                {
                    throw new PngFormatException($"tRNS chunk has {length} alpha entries but the palette has only {palette.Length / 3}.");
                }
                break;
            case PngColorType.Greyscale when length != 2:
            case PngColorType.Truecolor when length != 6:
                throw new PngFormatException(
                    $"tRNS chunk has {length} bytes; colour type {(int)header.ColorType} needs {(header.ColorType == PngColorType.Greyscale ? 2 : 6)}.");
            case PngColorType.GreyscaleAlpha:
            case PngColorType.TruecolorAlpha:
                throw new PngFormatException(
                    $"tRNS chunk is not allowed for colour type {(int)header.ColorType}, which already has an alpha channel.");
        }
        return chunk.Data;
    }

    /// <summary>Decompresses the concatenated IDAT data into exactly the filtered bytes all passes need.</summary>
    private static byte[] Inflate(PngHeader header, MemoryStream idat)
    {
        long expected = 0;
        foreach (InterlacePass pass in header.Interlaced ? Adam7.Passes : Adam7.None)
        {
            int w = pass.Width(header.Width), h = pass.Height(header.Height);
            if (w > 0 && h > 0)
            {
                expected += h * (1 + header.RowBytes(w));
            }
        }
        if (expected > Array.MaxLength)
        {
            throw new PngFormatException($"Image data would need {expected} bytes, more than this decoder supports.");
        }
        idat.Position = 0;
        // Grow the buffer only as real data arrives: a tiny file claiming a huge size fails before allocating much.
        var buffer = new byte[(int)Math.Min(expected, 1 << 16)];
        int filled = 0;
        try
        {
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress, leaveOpen: true);
            while (filled < expected)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(expected, (long)buffer.Length * 2));
                }
                int n = zlib.Read(buffer, filled, buffer.Length - filled);
                if (n == 0)
                {
                    break;
                }
                filled += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new PngFormatException($"IDAT zlib data is corrupt ({e.Message}) after {filled} of {expected} bytes.", e);
        }
        if (filled < expected)
        {
            throw new PngFormatException(
                $"IDAT zlib data is too short: it decompresses to {filled} bytes, but a {header.Width}x{header.Height} image needs {expected}. The file is truncated or corrupt.");
        }
        return buffer;
    }

    private static PngImage BuildImage(PngHeader header, byte[] raw, byte[]? palette, byte[]? transparency)
    {
        var writer = new PixelWriter(header, palette, transparency);
        int unit = header.FilterUnit;
        int offset = 0;
        InterlacePass[] passes = header.Interlaced ? Adam7.Passes : Adam7.None;
        for (int p = 0; p < passes.Length; p++)
        {
            InterlacePass pass = passes[p];
            int w = pass.Width(header.Width), h = pass.Height(header.Height);
            if (w == 0 || h == 0)
            {
                continue;
            }
            int rowBytes = (int)header.RowBytes(w);
            var previous = new byte[rowBytes];
            for (int y = 0; y < h; y++)
            {
                int filter = raw[offset];
                if (filter >= PngFilters.Count)
                {
                    string where = header.Interlaced ? $"row {y} of Adam7 pass {p + 1}" : $"row {y}";
                    throw new PngFormatException($"Invalid filter type {filter} on {where}; PNG allows 0-4 (None, Sub, Up, Average, Paeth).");
                }
                Span<byte> row = raw.AsSpan(offset + 1, rowBytes);
                PngFilters.Unfilter(filter, row, previous, unit);
                writer.WriteRow(row, pass, y, w);
                row.CopyTo(previous);
                offset += rowBytes + 1;
            }
        }
        return writer.Image;
    }

    /// <summary>Turns unfiltered scanlines (packed samples at the file's depth) into the output image's samples.</summary>
    private sealed class PixelWriter
    {
        private readonly PngHeader _header;
        private readonly byte[]? _palette;
        private readonly byte[]? _paletteAlpha;
        private readonly int[]? _key;
        private readonly int _outChannels;
        private readonly byte[]? _out8;
        private readonly ushort[]? _out16;
        private readonly int[] _samples;

        public PixelWriter(PngHeader header, byte[]? palette, byte[]? transparency)
        {
            _header = header;
            int fileChannels = header.SamplesPerPixel;
            _outChannels = header.ColorType switch
            {
                PngColorType.Indexed => transparency is null ? 3 : 4,
                PngColorType.Greyscale or PngColorType.Truecolor => fileChannels + (transparency is null ? 0 : 1),
                _ => fileChannels,
            };
            if (header.ColorType == PngColorType.Indexed)
            {
                _palette = palette;
                if (transparency is not null)
                {
                    _paletteAlpha = new byte[256];
                    Array.Fill(_paletteAlpha, (byte)255);
                    transparency.CopyTo(_paletteAlpha, 0);
                }
            }
            else if (transparency is not null)
            {
                _key = new int[transparency.Length / 2];
                for (int i = 0; i < _key.Length; i++)
                {
                    _key[i] = (transparency[2 * i] << 8) | transparency[2 * i + 1];
                }
            }
            int length = header.Width * header.Height * _outChannels;
            if (header.BitDepth == 16)
            {
                _out16 = new ushort[length];
                Image = new PngImage(header.Width, header.Height, _outChannels, _out16);
            }
            else
            {
                _out8 = new byte[length];
                Image = new PngImage(header.Width, header.Height, _outChannels, _out8);
            }
            _samples = new int[fileChannels];
        }

        public PngImage Image { get; }

        public void WriteRow(ReadOnlySpan<byte> row, InterlacePass pass, int passY, int passWidth)
        {
            int y = pass.YStart + passY * pass.YStep;
            int fileChannels = _samples.Length;
            int depth = _header.BitDepth;
            if (depth == 8 && _palette is null && _key is null && pass.XStep == 1)
            {
                row.CopyTo(_out8.AsSpan(y * _header.Width * _outChannels));
                return;
            }
            int maxValue = (1 << depth) - 1;
            int scale = depth < 8 ? 255 / maxValue : 1;
            for (int px = 0; px < passWidth; px++)
            {
                for (int c = 0; c < fileChannels; c++)
                {
                    _samples[c] = ReadSample(row, px * fileChannels + c, depth);
                }
                int x = pass.XStart + px * pass.XStep;
                int o = (y * _header.Width + x) * _outChannels;
                if (_palette is not null)
                {
                    int index = _samples[0];
                    if (index * 3 >= _palette.Length)
                    {
                        throw new PngFormatException(
                            $"Palette index {index} at pixel ({x}, {y}) is beyond the palette's {_palette.Length / 3} entries.");
                    }
                    _out8![o] = _palette[index * 3];
                    _out8[o + 1] = _palette[index * 3 + 1];
                    _out8[o + 2] = _palette[index * 3 + 2];
                    if (_paletteAlpha is not null)
                    {
                        _out8[o + 3] = _paletteAlpha[index];
                    }
                    continue;
                }
                for (int c = 0; c < fileChannels; c++)
                {
                    Store(o + c, _samples[c] * scale);
                }
                if (_key is not null)
                {
                    bool transparent = true;
                    for (int c = 0; c < fileChannels; c++)
                    {
                        transparent &= _samples[c] == _key[c];
                    }
                    Store(o + fileChannels, transparent ? 0 : (depth == 16 ? 65535 : 255));
                }
            }
        }

        private void Store(int index, int value)
        {
            if (_out16 is not null)
            {
                _out16[index] = (ushort)value;
            }
            else
            {
                _out8![index] = (byte)value;
            }
        }

        private static int ReadSample(ReadOnlySpan<byte> row, int sampleIndex, int depth)
        {
            switch (depth)
            {
                case 8:
                    return row[sampleIndex];
                case 16:
                    return (row[2 * sampleIndex] << 8) | row[2 * sampleIndex + 1];
                default:
                    int bit = sampleIndex * depth;
                    int shift = 8 - depth - (bit & 7);
                    return (row[bit >> 3] >> shift) & ((1 << depth) - 1);
            }
        }
    }
}
