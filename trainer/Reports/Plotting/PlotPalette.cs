// The ten series/class colours shared by every plot (the familiar "tab10" set), so digit 3 has the same colour
// in every picture. It does not try to be colour-blind safe beyond what tab10 offers.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Trainer.Reports.Plotting;

public static class PlotPalette
{
    private static readonly Rgb[] Colors =
    [
        Rgb.FromHex(0x1F77B4), Rgb.FromHex(0xFF7F0E), Rgb.FromHex(0x2CA02C), Rgb.FromHex(0xD62728), Rgb.FromHex(0x9467BD),
        Rgb.FromHex(0x8C564B), Rgb.FromHex(0xE377C2), Rgb.FromHex(0x7F7F7F), Rgb.FromHex(0xBCBD22), Rgb.FromHex(0x17BECF),
    ];

    public const int Count = 10;

    /// <summary>Colour number <paramref name="index"/>, wrapping after ten.</summary>
    public static Rgb Color(int index) => Colors[((index % Count) + Count) % Count];
}
