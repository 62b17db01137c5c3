// The anomaly demonstration's pictures:
//   anomaly-histograms.png: one panel per anomaly set, its score histogram beside the normal images', with the
//                           threshold as a dashed line (fractions per bin, so sets of different sizes compare);
//   anomaly-extremes.png:   the highest- and lowest-scoring real test images (normal and held-out labels together),
//                           each tile labelled with its label and score.
using System.Globalization;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Trainer.Reports.Plotting;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Anomaly;

public static class AnomalyPictures
{
    public const string HistogramsFile = "anomaly-histograms.png";
    public const string ExtremesFile = "anomaly-extremes.png";

    /// <summary>Tiles in each of the two groups of anomaly-extremes.png.</summary>
    public const int ExtremeCount = 16;

    public static IReadOnlyList<string> Write(AnomalyResults results, string folder)
    {
        string histograms = Path.Combine(folder, HistogramsFile), extremes = Path.Combine(folder, ExtremesFile);
        var histogramImage = Histograms(results);
        var extremesImage = Extremes(results);
        ImageFile.WritePng(histogramImage, histograms);
        ImageFile.WritePng(extremesImage, extremes);
        return [histograms, extremes];
    }

    public static PixelImage Histograms(AnomalyResults results)
    {
        const int panelWidth = 520, panelHeight = 340, columns = 2;
        int rows = (results.Anomalies.Count + columns - 1) / columns;
        var canvas = new Canvas(columns * panelWidth, rows * panelHeight, Rgb.White);
        for (int i = 0; i < results.Anomalies.Count; i++)
        {
            var anomaly = results.Anomalies[i];
            var plot = new HistogramPlot
            {
                Title = $"normal vs {anomaly.Name}",
                XLabel = $"{AnomalyReportFiles.Describe(results.Kind)} (nats), k = {results.Samples}",
                Threshold = results.Calibration.Threshold,
                Bins = 40,
            };
            plot.AddDistribution("normal", results.Normal.Scores);
            plot.AddDistribution(anomaly.Name, anomaly.Scores);
            canvas.DrawImage(plot.Render(panelWidth, panelHeight), i % columns * panelWidth, i / columns * panelHeight);
        }
        return canvas.ToImage();
    }

    public static PixelImage Extremes(AnomalyResults results)
    {
        // The real test images: the normal half and the held-out labels (the first anomaly set when it has labels).
        var pool = new List<(ScoredSet Set, int Index)>();
        pool.AddRange(Enumerable.Range(0, results.Normal.Scores.Length).Select(i => (results.Normal, i)));
        if (results.Anomalies.Count > 0 && results.Anomalies[0].Name.StartsWith("held-out", StringComparison.Ordinal))
        {
            pool.AddRange(Enumerable.Range(0, results.Anomalies[0].Scores.Length).Select(i => (results.Anomalies[0], i)));
        }
        var ordered = pool.OrderByDescending(p => p.Set.Scores[p.Index]).ToArray();
        int count = Math.Max(1, Math.Min(ExtremeCount, ordered.Length / 2));
        int columns = Math.Clamp(count, 1, 8);
        count = count / columns * columns; // each group fills whole rows
        var chosen = ordered.Take(count).Concat(ordered.Skip(ordered.Length - count).Reverse()).ToArray();

        var first = results.Normal.Images;
        var pixels = new float[chosen.Length * first.ImageSize];
        var labels = new string?[chosen.Length];
        for (int t = 0; t < chosen.Length; t++)
        {
            var (set, index) = chosen[t];
            set.Images.Image(index).CopyTo(pixels.AsSpan(t * first.ImageSize, first.ImageSize));
            labels[t] = string.Create(CultureInfo.InvariantCulture, $"{set.Images.LabelNames[set.Images.Labels[index]]} {set.Scores[index]:F0}");
        }
        // Integer upscale so every tile is at least as wide as its label (and at least 2x).
        int labelWidth = labels.Max(l => BitmapFont.Measure(l ?? "").Width);
        int scale = Math.Max(2, (labelWidth + first.Width - 1) / first.Width);
        int rowsPerGroup = (count + columns - 1) / columns;
        var rowLabels = Enumerable.Range(0, 2 * rowsPerGroup).Select(r => r == 0 ? "highest" : r == rowsPerGroup ? "lowest" : null).ToArray();
        return ImageGrid.FromPlanarBatch(pixels, chosen.Length, first.Channels, first.Height, first.Width, new ImageGridOptions
        {
            Columns = columns,
            Scale = scale,
            Padding = 4,
            TileLabels = labels,
            RowLabels = rowLabels,
            Title = string.Create(CultureInfo.InvariantCulture,
                $"highest and lowest {AnomalyReportFiles.Describe(results.Kind)} (k = {results.Samples}) of the test images: label score"),
        });
    }
}
