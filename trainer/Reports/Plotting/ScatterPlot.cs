// A scatter of 2-D points coloured by integer class (e.g. a VAE's 2-D latent means coloured by digit label), with
// a legend of the classes present. Points with non-finite coordinates are skipped; classes beyond ten reuse colours.
// It does not do density shading or per-point sizes.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Trainer.Reports.Plotting;

public sealed class ScatterPlot
{
    private readonly List<(double X, double Y, int Class)> _points = [];

    public string? Title { get; set; }

    public string? XLabel { get; set; }

    public string? YLabel { get; set; }

    /// <summary>Radius of each dot in pixels (0 draws single pixels).</summary>
    public int PointRadius { get; set; } = 2;

    /// <summary>Legend text per class; by default the class number itself.</summary>
    public Func<int, string> ClassName { get; set; } = c => c.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ScatterPlot AddPoints(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(classes);
        if (x.Count != y.Count || x.Count != classes.Count)
        {
            throw new ArgumentException($"Got {x.Count} x values, {y.Count} y values and {classes.Count} classes; they must be the same length.", nameof(classes));
        }
        for (int i = 0; i < x.Count; i++)
        {
            _points.Add((x[i], y[i], classes[i]));
        }
        return this;
    }

    public PixelImage Render(int width = 640, int height = 560)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(PointRadius);
        var finite = _points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (finite.Count == 0)
        {
            throw new InvalidOperationException("The scatter plot has no finite points; call AddPoints first.");
        }
        (double xLow, double xHigh) = PlotFrame.Range(finite.Select(p => p.X));
        (double yLow, double yHigh) = PlotFrame.Range(finite.Select(p => p.Y));
        // A 2% margin keeps dots on the extreme points inside the frame.
        double xPad = (xHigh - xLow) * 0.02, yPad = (yHigh - yLow) * 0.02;
        var classes = finite.Select(p => p.Class).Distinct().Order().ToList();
        var legend = classes.Select(c => (ClassName(c), PlotPalette.Color(c))).ToList();
        var canvas = new Canvas(width, height, Rgb.White);
        PlotFrame frame = PlotFrame.Draw(canvas, AxisScale.Nice(xLow - xPad, xHigh + xPad), AxisScale.Nice(yLow - yPad, yHigh + yPad), Title, XLabel, YLabel, legend);
        foreach ((double x, double y, int c) in finite)
        {
            canvas.FillCircle(frame.MapX(x), frame.MapY(y), PointRadius, PlotPalette.Color(c));
        }
        return canvas.ToImage();
    }
}
