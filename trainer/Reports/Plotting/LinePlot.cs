// Line charts of named series against x, e.g. train and test loss per epoch. Non-finite points (a diverged loss)
// are skipped and break the line there. Series colours come from PlotPalette in the order added.
// It does not do log axes, error bars or smoothing.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Trainer.Reports.Plotting;

public sealed class LinePlot
{
    private readonly List<(string Name, double[] X, double[] Y)> _series = [];

    public string? Title { get; set; }

    public string? XLabel { get; set; }

    public string? YLabel { get; set; }

    /// <summary>Keep x ticks on whole numbers (epochs, steps).</summary>
    public bool IntegerX { get; set; }

    /// <summary>Adds a series whose x values are 1, 2, ..., y.Count (epochs); also sets IntegerX.</summary>
    public LinePlot AddSeries(string name, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        IntegerX = true;
        return AddSeries(name, Enumerable.Range(1, y.Count).Select(i => (double)i).ToArray(), y);
    }

    public LinePlot AddSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Series '{name}' has {x.Count} x values and {y.Count} y values; they must pair up.", nameof(y));
        }
        _series.Add((name, x.ToArray(), y.ToArray()));
        return this;
    }

    public PixelImage Render(int width = 640, int height = 400)
    {
        if (_series.Count == 0)
        {
            throw new InvalidOperationException("The line plot has no series; call AddSeries first.");
        }
        (double xLow, double xHigh) = PlotFrame.Range(_series.SelectMany(s => s.X));
        (double yLow, double yHigh) = PlotFrame.Range(_series.SelectMany(s => s.Y));
        var canvas = new Canvas(width, height, Rgb.White);
        var legend = _series.Select((s, i) => (s.Name, PlotPalette.Color(i))).ToList();
        PlotFrame frame = PlotFrame.Draw(canvas, AxisScale.Nice(xLow, xHigh, 8, IntegerX), AxisScale.Nice(yLow, yHigh, 6), Title, XLabel, YLabel, legend);
        for (int s = 0; s < _series.Count; s++)
        {
            (_, double[] xs, double[] ys) = _series[s];
            Rgb color = PlotPalette.Color(s);
            bool markers = xs.Length <= 60;
            (int X, int Y)? previous = null;
            for (int i = 0; i < xs.Length; i++)
            {
                if (!double.IsFinite(xs[i]) || !double.IsFinite(ys[i]))
                {
                    previous = null;
                    continue;
                }
                (int px, int py) = (frame.MapX(xs[i]), frame.MapY(ys[i]));
                if (previous is (int qx, int qy))
                {
                    canvas.DrawLine(qx, qy, px, py, color, 2);
                }
                if (markers)
                {
                    canvas.FillCircle(px, py, 2, color);
                }
                previous = (px, py);
            }
        }
        return canvas.ToImage();
    }
}
