// The parts every plot shares: title, axes with grid lines, ticks and tick labels, axis labels, and a legend to
// the right of the plot area (outside it, so it never hides data). Plots draw their data between Left..Right and
// Top..Bottom through MapX/MapY. It does not draw any data itself.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Trainer.Reports.Plotting;

internal sealed class PlotFrame
{
    private static readonly Rgb GridColor = Rgb.Grey(225);
    private const int TitleScale = 2;
    private const int Gap = 6;

    private readonly AxisScale _x;
    private readonly AxisScale _y;

    private PlotFrame(AxisScale x, AxisScale y, int left, int top, int right, int bottom)
    {
        (_x, _y, Left, Top, Right, Bottom) = (x, y, left, top, right, bottom);
    }

    public int Left { get; }

    public int Top { get; }

    public int Right { get; }

    public int Bottom { get; }

    public int MapX(double value) => _x.Map(value, Left, Right);

    public int MapY(double value) => _y.Map(value, Bottom, Top);

    /// <summary>Draws the frame on <paramref name="canvas"/> and returns where the data goes.</summary>
    public static PlotFrame Draw(Canvas canvas, AxisScale x, AxisScale y, string? title, string? xLabel, string? yLabel,
        IReadOnlyList<(string Name, Rgb Color)> legend, Func<double, string>? xFormat = null)
    {
        xFormat ??= x.Format;
        string[] yTicks = y.Ticks().Select(y.Format).ToArray();
        int yTickWidth = yTicks.Max(t => BitmapFont.Measure(t).Width);
        int legendWidth = legend.Count == 0 ? 0 : legend.Max(e => BitmapFont.Measure(e.Name).Width) + 3 * Gap + 10;
        int left = Gap + (string.IsNullOrEmpty(yLabel) ? 0 : BitmapFont.GlyphHeight + Gap) + yTickWidth + Gap;
        int top = string.IsNullOrEmpty(title) ? 2 * Gap : 2 * Gap + BitmapFont.GlyphHeight * TitleScale + Gap;
        int right = canvas.Width - 2 * Gap - legendWidth;
        int bottom = canvas.Height - Gap - BitmapFont.GlyphHeight - Gap - (string.IsNullOrEmpty(xLabel) ? 0 : BitmapFont.GlyphHeight + Gap);
        if (right - left < 40 || bottom - top < 40)
        {
            throw new ArgumentException(
                $"A {canvas.Width}x{canvas.Height} canvas leaves a {right - left}x{bottom - top} plot area after labels and legend; make it larger.");
        }
        var frame = new PlotFrame(x, y, left, top, right, bottom);

        foreach (double tick in y.Ticks())
        {
            int py = frame.MapY(tick);
            canvas.FillRect(left, py, right - left + 1, 1, GridColor);
            canvas.FillRect(left - 4, py, 4, 1, Rgb.Black);
            string label = y.Format(tick);
            (int w, int h) = BitmapFont.Measure(label);
            canvas.DrawText(left - 4 - 2 - w, py - h / 2, label, Rgb.Black);
        }
        foreach (double tick in x.Ticks())
        {
            int px = frame.MapX(tick);
            canvas.FillRect(px, top, 1, bottom - top + 1, GridColor);
            canvas.FillRect(px, bottom + 1, 1, 4, Rgb.Black);
            string label = xFormat(tick);
            int w = BitmapFont.Measure(label).Width;
            canvas.DrawText(px - w / 2, bottom + Gap, label, Rgb.Black);
        }
        canvas.DrawRect(left, top, right - left + 1, bottom - top + 1, Rgb.Black);

        if (!string.IsNullOrEmpty(title))
        {
            int w = BitmapFont.Measure(title, TitleScale).Width;
            canvas.DrawText(Math.Max(Gap, (left + right - w) / 2), Gap + 2, title, Rgb.Black, TitleScale);
        }
        if (!string.IsNullOrEmpty(xLabel))
        {
            int w = BitmapFont.Measure(xLabel).Width;
            canvas.DrawText((left + right - w) / 2, canvas.Height - Gap - BitmapFont.GlyphHeight, xLabel, Rgb.Black);
        }
        if (!string.IsNullOrEmpty(yLabel))
        {
            int h = BitmapFont.Measure(yLabel).Width;
            canvas.DrawTextVertical(Gap, (top + bottom - h) / 2, yLabel, Rgb.Black);
        }
        for (int i = 0; i < legend.Count; i++)
        {
            int ly = top + Gap + i * (BitmapFont.LineHeight + 4);
            int lx = right + 2 * Gap;
            canvas.FillRect(lx, ly, 10, BitmapFont.GlyphHeight, legend[i].Color);
            canvas.DrawText(lx + 10 + Gap, ly, legend[i].Name, Rgb.Black);
        }
        return frame;
    }

    /// <summary>The finite values' range, or [0, 1] when there are none.</summary>
    public static (double Low, double High) Range(IEnumerable<double> values)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (double.IsFinite(v))
            {
                low = Math.Min(low, v);
                high = Math.Max(high, v);
            }
        }
        return low <= high ? (low, high) : (0, 1);
    }
}
