// An 8-bit RGB colour for Canvas, ImageGrid and the plots. It is not a general colour type: no alpha, no colour spaces.
namespace VaeOnnx.Runtime.Core.Imaging;

public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb Black => new(0, 0, 0);

    public static Rgb White => new(255, 255, 255);

    public static Rgb Grey(byte level) => new(level, level, level);

    /// <summary>From 0xRRGGBB.</summary>
    public static Rgb FromHex(int rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);

    public bool IsGrey => R == G && G == B;
}
