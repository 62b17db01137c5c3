// An 8-bit RGB colour for Canvas, ImageGrid and the plots. It is not a general colour type: no alpha, no colour spaces.
namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>An 8-bit RGB colour for <see cref="Canvas"/> and <see cref="ImageGrid"/>; no alpha, no colour space.</summary>
/// <param name="R">Red, 0 to 255.</param>
/// <param name="G">Green, 0 to 255.</param>
/// <param name="B">Blue, 0 to 255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Black, (0, 0, 0).</summary>
    public static Rgb Black => new(0, 0, 0);

    /// <summary>White, (255, 255, 255).</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>The grey with all three channels at <paramref name="level"/>.</summary>
    public static Rgb Grey(byte level) => new(level, level, level);

    /// <summary>From 0xRRGGBB.</summary>
    public static Rgb FromHex(int rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);

    /// <summary>Whether R, G and B are equal.</summary>
    public bool IsGrey => R == G && G == B;
}
