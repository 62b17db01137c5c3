// The IHDR chunk: image size, bit depth, colour type and interlace method, validated against the table in
// PNG spec section 11.2.2 (https://www.w3.org/TR/png/#11IHDR). It computes the byte sizes the decoder needs
// (row length, filter unit) in 64-bit arithmetic so hostile sizes cannot overflow; it does not read chunks itself.
namespace VaeOnnx.Runtime.Imaging;

public enum PngColorType : byte
{
    Greyscale = 0,
    Truecolor = 2,
    Indexed = 3,
    GreyscaleAlpha = 4,
    TruecolorAlpha = 6,
}

public sealed record PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    public const int Length = 13;

    /// <summary>Samples stored per pixel in the file (an index counts as one sample).</summary>
    public int SamplesPerPixel => ColorType switch
    {
        PngColorType.Greyscale or PngColorType.Indexed => 1,
        PngColorType.GreyscaleAlpha => 2,
        PngColorType.Truecolor => 3,
        _ => 4,
    };

    public int BitsPerPixel => SamplesPerPixel * BitDepth;

    /// <summary>The "bpp" of the filter algorithms: bytes per complete pixel, rounded up to 1.</summary>
    public int FilterUnit => Math.Max(1, BitsPerPixel / 8);

    /// <summary>Bytes in one scanline of <paramref name="width"/> pixels, not counting the filter-type byte.</summary>
    public long RowBytes(int width) => ((long)width * BitsPerPixel + 7) / 8;

    public static PngHeader Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length != Length)
        {
            throw new PngFormatException($"IHDR chunk has {data.Length} bytes; it must have exactly {Length}.");
        }
        uint width = ReadUInt32(data);
        uint height = ReadUInt32(data[4..]);
        byte bitDepth = data[8];
        byte colorType = data[9];
        if (width == 0 || height == 0 || width > PngImage.MaxDimension || height > PngImage.MaxDimension
            || (long)width * height > PngImage.MaxPixels)
        {
            throw new PngFormatException(
                $"Image size {width}x{height} is not supported; width and height must be 1..{PngImage.MaxDimension} and width*height at most {PngImage.MaxPixels}.");
        }
        int[] allowed = colorType switch
        {
            0 => [1, 2, 4, 8, 16],
            3 => [1, 2, 4, 8],
            2 or 4 or 6 => [8, 16],
            _ => throw new PngFormatException($"Invalid colour type {colorType}; PNG allows 0 (grey), 2 (RGB), 3 (palette), 4 (grey+alpha), 6 (RGBA)."),
        };
        if (Array.IndexOf(allowed, bitDepth) < 0)
        {
            throw new PngFormatException($"Invalid bit depth {bitDepth} for colour type {colorType}; PNG allows {string.Join(", ", allowed)}.");
        }
        if (data[10] != 0)
        {
            throw new PngFormatException($"Invalid compression method {data[10]}; PNG defines only 0 (zlib deflate).");
        }
        if (data[11] != 0)
        {
            throw new PngFormatException($"Invalid filter method {data[11]}; PNG defines only 0 (adaptive, five filter types).");
        }
        if (data[12] > 1)
        {
            throw new PngFormatException($"Invalid interlace method {data[12]}; PNG allows 0 (none) and 1 (Adam7).");
        }
        return new PngHeader((int)width, (int)height, bitDepth, (PngColorType)colorType, data[12] == 1);
    }

    public void Write(Span<byte> data)
    {
        WriteUInt32(data, (uint)Width);
        WriteUInt32(data[4..], (uint)Height);
        data[8] = (byte)BitDepth;
        data[9] = (byte)ColorType;
        data[10] = 0;
        data[11] = 0;
        data[12] = Interlaced ? (byte)1 : (byte)0;
    }

    internal static uint ReadUInt32(ReadOnlySpan<byte> b) => ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];

    internal static void WriteUInt32(Span<byte> b, uint value)
    {
        b[0] = (byte)(value >> 24);
        b[1] = (byte)(value >> 16);
        b[2] = (byte)(value >> 8);
        b[3] = (byte)value;
    }
}
