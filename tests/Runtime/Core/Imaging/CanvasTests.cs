// Canvas drawing against direct geometric references: clipped rectangles, Bresenham lines within half a pixel
// of the ideal line, discs close to pi r^2, text ink equal to the font's glyph ink, and alpha blending.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class CanvasTests
{
    private static readonly Rgb Ink = new(200, 10, 20);

    private static int Count(Canvas canvas, Rgb color)
    {
        int count = 0;
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = 0; x < canvas.Width; x++)
            {
                count += canvas.GetPixel(x, y) == color ? 1 : 0;
            }
        }
        return count;
    }

    [Test]
    public void FillRectClipsAtTheEdges()
    {
        var canvas = new Canvas(10, 8, Rgb.White);
        canvas.FillRect(-3, -2, 6, 5, Ink);
        canvas.FillRect(8, 6, 100, 100, Ink);
        canvas.FillRect(int.MaxValue - 1, 0, 10, 10, Ink);
        Assert.That(Count(canvas, Ink), Is.EqualTo(3 * 3 + 2 * 2));
        Assert.That(canvas.GetPixel(2, 2), Is.EqualTo(Ink));
        Assert.That(canvas.GetPixel(3, 3), Is.EqualTo(Rgb.White));
    }

    [TestCase(2, 3, 37, 14)]
    [TestCase(37, 14, 2, 3)]
    [TestCase(5, 30, 9, 1)]
    [TestCase(0, 0, 20, 20)]
    [TestCase(4, 7, 4, 7)]
    public void LinesStayWithinHalfAPixelOfTheIdealLine(int x0, int y0, int x1, int y1)
    {
        var canvas = new Canvas(40, 40, Rgb.White);
        canvas.DrawLine(x0, y0, x1, y1, Ink);
        int dx = Math.Abs(x1 - x0), dy = Math.Abs(y1 - y0);
        Assert.That(Count(canvas, Ink), Is.EqualTo(Math.Max(dx, dy) + 1), "one pixel per step along the major axis");
        Assert.That(canvas.GetPixel(x0, y0), Is.EqualTo(Ink));
        Assert.That(canvas.GetPixel(x1, y1), Is.EqualTo(Ink));
        double largest = 0;
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < 40; x++)
            {
                if (canvas.GetPixel(x, y) != Ink)
                {
                    continue;
                }
                // Distance along the minor axis from the ideal line.
                double off = dx >= dy
                    ? Math.Abs(y - (dx == 0 ? y0 : y0 + (double)(y1 - y0) * (x - x0) / (x1 - x0)))
                    : Math.Abs(x - (x0 + (double)(x1 - x0) * (y - y0) / (y1 - y0)));
                largest = Math.Max(largest, off);
            }
        }
        TestContext.Out.WriteLine($"largest minor-axis distance from the ideal line: {largest:F3} px (tolerance 0.5)");
        Assert.That(largest, Is.LessThanOrEqualTo(0.5 + 1e-9));
    }

    [Test]
    public void DiscAreaIsCloseToPiRSquaredAndSymmetric()
    {
        foreach (int radius in new[] { 3, 10, 25 })
        {
            var canvas = new Canvas(60, 60, Rgb.White);
            canvas.FillCircle(30, 30, radius, Ink);
            double expected = Math.PI * (radius + 0.5) * (radius + 0.5);
            int actual = Count(canvas, Ink);
            TestContext.Out.WriteLine($"r={radius}: {actual} px vs pi (r+0.5)^2 = {expected:F1} (tolerance 8%)");
            Assert.That(actual, Is.EqualTo(expected).Within(8).Percent);
            for (int d = 0; d <= radius; d++)
            {
                Assert.That(canvas.GetPixel(30 + d, 30 - radius / 2), Is.EqualTo(canvas.GetPixel(30 - d, 30 + radius / 2)));
            }
            var ring = new Canvas(60, 60, Rgb.White);
            ring.DrawCircle(30, 30, radius, Ink);
            Assert.That(ring.GetPixel(30 + radius, 30), Is.EqualTo(Ink));
            Assert.That(ring.GetPixel(30, 30 - radius), Is.EqualTo(Ink));
            Assert.That(ring.GetPixel(30, 30), Is.EqualTo(Rgb.White));
        }
    }

    [Test]
    public void TextInkMatchesTheFontAtEveryScale([Values(1, 3)] int scale)
    {
        const string text = "Loss 0.25";
        var canvas = new Canvas(200, 40, Rgb.White);
        canvas.DrawText(2, 2, text, Ink, scale);
        Assert.That(Count(canvas, Ink), Is.EqualTo(BitmapFontTests.InkCount(text) * scale * scale));
        var vertical = new Canvas(40, 200, Rgb.White);
        vertical.DrawTextVertical(2, 2, text, Ink, scale);
        Assert.That(Count(vertical, Ink), Is.EqualTo(BitmapFontTests.InkCount(text) * scale * scale));
        // Text running off the canvas is clipped, not an error.
        canvas.DrawText(190, 35, text, Ink, scale);
    }

    [Test]
    public void DrawImageScalesAndBlendsAlpha()
    {
        var canvas = new Canvas(6, 4, Rgb.Grey(100));
        var image = new PixelImage(2, 1, 2, [255, 255, 0, 128]);
        canvas.DrawImage(image, 1, 1, scale: 2);
        Assert.That(canvas.GetPixel(1, 1), Is.EqualTo(Rgb.White));
        Assert.That(canvas.GetPixel(2, 2), Is.EqualTo(Rgb.White));
        // 0 over 100 at alpha 128/255: 100 * 127 / 255 = 49.8 -> 50.
        Assert.That(canvas.GetPixel(3, 1), Is.EqualTo(Rgb.Grey(50)));
        Assert.That(canvas.GetPixel(5, 1), Is.EqualTo(Rgb.Grey(100)));
        PixelImage output = canvas.ToImage();
        Assert.That((output.Width, output.Height, output.Channels), Is.EqualTo((6, 4, 3)));
        Assert.That(canvas.ToGreyImage().Pixels[1 * 6 + 3], Is.EqualTo(50));
    }

    [Test]
    public void RejectsBadSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Canvas(0, 5, Rgb.White));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Canvas(5, PixelImage.MaxDimension + 1, Rgb.White));
        Assert.Throws<InvalidOperationException>(() =>
        {
            var canvas = new Canvas(2, 2, Rgb.White);
            canvas.SetPixel(0, 0, Ink);
            canvas.ToGreyImage();
        });
    }
}
