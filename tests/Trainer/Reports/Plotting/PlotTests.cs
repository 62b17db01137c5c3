// Axis scaling against hand-worked cases, and the three plots: every series/class/distribution shows up in its
// palette colour, histogram counts agree with direct counting, bad input gets a clear error.
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Trainer.Reports.Plotting;

namespace VaeOnnx.Tests.Trainer.Reports.Plotting;

public class PlotTests
{
    [TestCase(0.13, 0.97, 5, false, 0.0, 1.0, 0.2)]
    [TestCase(1.0, 20.0, 8, true, 0.0, 20.0, 2.0)]
    [TestCase(98.2, 263.7, 6, false, 80.0, 280.0, 20.0)]
    [TestCase(-3.4, 3.1, 5, false, -4.0, 4.0, 1.0)]
    [TestCase(1.0, 3.0, 8, true, 1.0, 3.0, 1.0)]
    [TestCase(5.0, 5.0, 5, false, 4.4, 5.6, 0.2)]
    public void NiceAxisBoundsAndSteps(double low, double high, int ticks, bool integer, double min, double max, double step)
    {
        AxisScale scale = AxisScale.Nice(low, high, ticks, integer);
        Assert.That(scale.Min, Is.EqualTo(min).Within(1e-9));
        Assert.That(scale.Max, Is.EqualTo(max).Within(1e-9));
        Assert.That(scale.Step, Is.EqualTo(step).Within(1e-9));
        Assert.That(scale.Ticks().First(), Is.EqualTo(min).Within(1e-9));
        Assert.That(scale.Ticks().Last(), Is.EqualTo(max).Within(1e-9));
    }

    [Test]
    public void TickLabelsUseJustEnoughDecimals()
    {
        Assert.That(AxisScale.Nice(0.13, 0.97).Format(0.4), Is.EqualTo("0.4"));
        Assert.That(AxisScale.Nice(0, 0.1).Format(0.02), Is.EqualTo("0.02"));
        Assert.That(AxisScale.Nice(98, 263).Format(120), Is.EqualTo("120"));
        Assert.That(AxisScale.Nice(0, 5e7).Format(2e7), Is.EqualTo("2e7"));
        Assert.Throws<ArgumentException>(() => AxisScale.Nice(double.NaN, 1));
    }

    [Test]
    public void LinePlotDrawsEverySeriesInItsColour()
    {
        double[] train = [200, 150, 120, 110, double.NaN, 104];
        double[] test = [210, 160, 130, 118, 114, 112];
        PixelImage image = new LinePlot { Title = "loss", XLabel = "epoch", YLabel = "nats" }.AddSeries("train", train).AddSeries("test", test).Render(400, 300);
        Assert.That((image.Width, image.Height, image.Channels), Is.EqualTo((400, 300, 3)));
        Assert.That(CountColor(image, PlotPalette.Color(0)), Is.GreaterThan(100));
        Assert.That(CountColor(image, PlotPalette.Color(1)), Is.GreaterThan(100));
        Assert.That(CountColor(image, PlotPalette.Color(2)), Is.EqualTo(0));
    }

    [Test]
    public void ScatterShowsExactlyTheClassesPresent()
    {
        var random = new Random(8);
        int[] classes = Enumerable.Range(0, 300).Select(i => i % 3 == 0 ? 7 : i % 3 == 1 ? 2 : 4).ToArray();
        double[] x = classes.Select(c => c + random.NextDouble()).ToArray();
        double[] y = classes.Select(c => -c + random.NextDouble()).ToArray();
        x[5] = double.NaN;
        PixelImage image = new ScatterPlot { Title = "latent" }.AddPoints(x, y, classes).Render(400, 360);
        for (int c = 0; c < 10; c++)
        {
            int count = CountColor(image, PlotPalette.Color(c));
            Assert.That(count > 0, Is.EqualTo(c is 2 or 4 or 7), $"class {c}: {count} pixels");
        }
    }

    [Test]
    public void HistogramCountsMatchDirectCountingAndBothDistributionsShow()
    {
        var random = new Random(9);
        double[] normal = Enumerable.Range(0, 500).Select(_ => random.NextDouble() * 10).ToArray();
        double[] anomalous = Enumerable.Range(0, 50).Select(_ => 8 + random.NextDouble() * 6).Append(double.PositiveInfinity).ToArray();
        var plot = new HistogramPlot { Bins = 7, Threshold = 9 }.AddDistribution("normal", normal).AddDistribution("anomalous", anomalous);
        (double low, double high, int[][] counts) = plot.Count();
        Assert.That((low, high), Is.EqualTo((normal.Concat(anomalous.Take(50)).Min(), normal.Concat(anomalous.Take(50)).Max())));
        double width = (high - low) / 7;
        int[] expected = new int[7];
        foreach (double v in normal)
        {
            expected[Math.Min(6, (int)Math.Floor((v - low) / width))]++;
        }
        Assert.That(counts[0], Is.EqualTo(expected));
        Assert.That(counts[1].Sum(), Is.EqualTo(50), "the infinite value is left out");
        PixelImage image = plot.Render();
        Assert.That(CountColor(image, PlotPalette.Color(0)), Is.GreaterThan(200));
        Assert.That(CountColor(image, PlotPalette.Color(1)), Is.GreaterThan(200));
    }

    [Test]
    public void PlotsExplainBadInput()
    {
        Assert.Throws<InvalidOperationException>(() => new LinePlot().Render());
        Assert.Throws<InvalidOperationException>(() => new HistogramPlot().Render());
        Assert.Throws<InvalidOperationException>(() => new ScatterPlot().AddPoints([double.NaN], [1], [0]).Render());
        var error = Assert.Throws<ArgumentException>(() => new LinePlot().AddSeries("a", [1.0, 2.0], [1.0]));
        Assert.That(error!.Message, Does.Contain("2 x values and 1 y values"));
        error = Assert.Throws<ArgumentException>(() => new LinePlot().AddSeries("a", [1.0]).Render(60, 40));
        Assert.That(error!.Message, Does.Contain("make it larger"));
    }

    private static int CountColor(PixelImage image, Rgb color)
    {
        int count = 0;
        byte[] p = image.Pixels;
        for (int i = 0; i < p.Length; i += 3)
        {
            count += p[i] == color.R && p[i + 1] == color.G && p[i + 2] == color.B ? 1 : 0;
        }
        return count;
    }
}
