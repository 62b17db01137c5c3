// Histograms of two or more distributions on shared bins, bars side by side within each bin (no transparency
// needed to see both), e.g. anomaly scores of normal vs anomalous images, with an optional vertical threshold line.
// Bars show the fraction of each distribution per bin by default, so groups of different sizes compare fairly.
// Non-finite values are left out. It does not do kernel density estimates or log-scale counts.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Trainer.Reports.Plotting;

public sealed class HistogramPlot
{
    private readonly List<(string Name, double[] Values)> _distributions = [];

    public string? Title { get; set; }

    public string? XLabel { get; set; }

    /// <summary>The y label; defaults to "fraction" or "count" to match <see cref="Normalize"/>.</summary>
    public string? YLabel { get; set; }

    public int Bins { get; set; } = 30;

    /// <summary>True: each bar is the fraction of its distribution in that bin; false: raw counts.</summary>
    public bool Normalize { get; set; } = true;

    /// <summary>Draws a dashed vertical line at this x (e.g. the anomaly threshold).</summary>
    public double? Threshold { get; set; }

    public HistogramPlot AddDistribution(string name, IReadOnlyList<double> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(values);
        _distributions.Add((name, values.Where(double.IsFinite).ToArray()));
        return this;
    }

    /// <summary>Per distribution, the count in each of <see cref="Bins"/> equal bins over [low, high].</summary>
    public (double Low, double High, int[][] Counts) Count()
    {
        if (Bins < 1)
        {
            throw new InvalidOperationException($"Bins is {Bins}; it must be at least 1.");
        }
        (double low, double high) = PlotFrame.Range(_distributions.SelectMany(d => d.Values).Concat(Threshold is double t ? [t] : []));
        if (high == low)
        {
            (low, high) = (low - 0.5, high + 0.5);
        }
        var counts = _distributions.Select(d =>
        {
            var c = new int[Bins];
            foreach (double v in d.Values)
            {
                c[Math.Clamp((int)((v - low) / (high - low) * Bins), 0, Bins - 1)]++;
            }
            return c;
        }).ToArray();
        return (low, high, counts);
    }

    public PixelImage Render(int width = 640, int height = 400)
    {
        if (_distributions.Count == 0)
        {
            throw new InvalidOperationException("The histogram has no distributions; call AddDistribution first.");
        }
        (double low, double high, int[][] counts) = Count();
        double[][] heights = counts.Select((c, d) => c.Select(n => Normalize ? n / (double)Math.Max(1, _distributions[d].Values.Length) : n).ToArray()).ToArray();
        double top = heights.SelectMany(h => h).DefaultIfEmpty(0).Max();
        var canvas = new Canvas(width, height, Rgb.White);
        var legend = _distributions.Select((d, i) => ($"{d.Name} (n={d.Values.Length})", PlotPalette.Color(i))).ToList();
        PlotFrame frame = PlotFrame.Draw(canvas, AxisScale.Nice(low, high, 8), AxisScale.Nice(0, top > 0 ? top : 1, 6),
            Title, XLabel, YLabel ?? (Normalize ? "fraction" : "count"), legend);
        double binWidth = (high - low) / Bins;
        int baseline = frame.MapY(0);
        for (int b = 0; b < Bins; b++)
        {
            int x0 = frame.MapX(low + b * binWidth), x1 = frame.MapX(low + (b + 1) * binWidth);
            int slot = Math.Max(1, (x1 - x0 - 1) / heights.Length);
            for (int d = 0; d < heights.Length; d++)
            {
                if (heights[d][b] <= 0)
                {
                    continue;
                }
                int y = frame.MapY(heights[d][b]);
                canvas.FillRect(x0 + 1 + d * slot, y, slot, Math.Max(1, baseline - y), PlotPalette.Color(d));
            }
        }
        if (Threshold is double threshold)
        {
            int tx = frame.MapX(threshold);
            for (int y = frame.Top; y <= frame.Bottom; y += 6)
            {
                canvas.DrawLine(tx, y, tx, Math.Min(y + 3, frame.Bottom), Rgb.Black, 2);
            }
            canvas.DrawText(tx + 4, frame.Top + 3, "threshold", Rgb.Black);
        }
        return canvas.ToImage();
    }
}
