// Resizing against a direct two-dimensional reference written from the definitions (not separable, in double):
// area = the exact mean of the source over the output pixel's rectangle; bilinear = half-pixel centres, clamped.
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Tests.Trainer.Data;

public sealed class ImageResamplerTests
{
    private const double Tolerance = 1e-5;

    [TestCase(28, 28, 28, 28)]
    [TestCase(28, 28, 14, 14)]
    [TestCase(31, 29, 10, 7)]
    [TestCase(5, 7, 11, 16)]
    [TestCase(9, 4, 20, 3)]
    [TestCase(1, 1, 3, 2)]
    public void MatchesTheDirectDefinition(int sourceHeight, int sourceWidth, int height, int width)
    {
        var random = new Random(sourceHeight * 100 + width);
        float[] source = Enumerable.Range(0, sourceHeight * sourceWidth).Select(_ => (float)random.NextDouble()).ToArray();
        float[] actual = new float[height * width];
        ImageResampler.Resize(source, sourceHeight, sourceWidth, actual, height, width);
        double maxDifference = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double expected = Reference(source, sourceHeight, sourceWidth, height, width, y, x);
                maxDifference = Math.Max(maxDifference, Math.Abs(expected - actual[y * width + x]));
            }
        }
        TestContext.Out.WriteLine($"{sourceHeight}x{sourceWidth} -> {height}x{width}: max |diff| = {maxDifference:E2} (tolerance {Tolerance:E0})");
        Assert.That(maxDifference, Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void ChannelRulesFollowTheDocumentation()
    {
        // One RGBA pixel and one grey+alpha pixel.
        float[] rgba = [0.2f, 0.4f, 0.6f, 0.1f];
        Assert.That(ChannelConversion.ToPlanar(rgba, 1, 1, 4, 1)[0], Is.EqualTo(0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6).Within(1e-6));
        Assert.That(ChannelConversion.ToPlanar(rgba, 1, 1, 4, 3), Is.EqualTo(new[] { 0.2f, 0.4f, 0.6f }));
        Assert.That(ChannelConversion.ToPlanar([0.7f, 0.0f], 1, 1, 2, 3), Is.EqualTo(new[] { 0.7f, 0.7f, 0.7f }));
        // Interleaved (H, W, C) becomes planar (C, H, W).
        float[] rgb2 = [1, 2, 3, 4, 5, 6];
        Assert.That(ChannelConversion.ToPlanar(rgb2, 1, 2, 3, 3), Is.EqualTo(new float[] { 1, 4, 2, 5, 3, 6 }));
    }

    private static double Reference(float[] source, int sh, int sw, int h, int w, int y, int x)
    {
        var rowWeights = Axis(sh, h, y);
        var columnWeights = Axis(sw, w, x);
        return rowWeights.Sum(r => columnWeights.Sum(c => r.Weight * c.Weight * source[r.Index * sw + c.Index]));
    }

    // The contribution of each source index along one axis, from the definitions.
    private static List<(int Index, double Weight)> Axis(int sourceSize, int size, int i)
    {
        var weights = new List<(int Index, double Weight)>();
        if (sourceSize >= size)
        {
            double scale = (double)sourceSize / size;
            double start = i * scale, end = start + scale;
            for (int s = 0; s < sourceSize; s++)
            {
                double overlap = Math.Max(0, Math.Min(end, s + 1) - Math.Max(start, s));
                if (overlap > 0)
                {
                    weights.Add((s, overlap / scale));
                }
            }
        }
        else
        {
            double position = (i + 0.5) * sourceSize / size - 0.5;
            for (int s = 0; s < sourceSize; s++)
            {
                double clamped = Math.Min(Math.Max(position, 0), sourceSize - 1);
                double weight = Math.Max(0, 1 - Math.Abs(clamped - s));
                if (weight > 0)
                {
                    weights.Add((s, weight));
                }
            }
        }
        return weights;
    }
}
