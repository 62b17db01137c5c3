// The Adam7 interlace passes (spec section 8.2, https://www.w3.org/TR/png/#8Interlace): where each of the seven
// reduced images starts and how far apart its pixels are. A non-interlaced image is one pass with step 1.
// Only the decoder uses it: our encoder always writes non-interlaced files.
namespace VaeOnnx.Runtime.Imaging;

internal readonly record struct InterlacePass(int XStart, int YStart, int XStep, int YStep)
{
    public int Width(int imageWidth) => imageWidth <= XStart ? 0 : (imageWidth - XStart + XStep - 1) / XStep;

    public int Height(int imageHeight) => imageHeight <= YStart ? 0 : (imageHeight - YStart + YStep - 1) / YStep;
}

internal static class Adam7
{
    public static readonly InterlacePass[] Passes =
    [
        new(0, 0, 8, 8),
        new(4, 0, 8, 8),
        new(0, 4, 4, 8),
        new(2, 0, 4, 4),
        new(0, 2, 2, 4),
        new(1, 0, 2, 2),
        new(0, 1, 1, 2),
    ];

    public static readonly InterlacePass[] None = [new(0, 0, 1, 1)];
}
