// PixelImage <-> planar float conversion: values against a direct per-pixel reading, the strict size and channel
// rules with their messages, and FromPlanar's clamping, rounding and NaN handling.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class ImageConversionTests
{
    [Test]
    public void ToPlanarMatchesPerPixelReading([Values(1, 3, 4)] int channels, [Values(8, 16)] int bitDepth)
    {
        const int width = 5, height = 3;
        var random = new Random(channels * 100 + bitDepth);
        PixelImage image = bitDepth == 8
            ? new PixelImage(width, height, channels, Enumerable.Range(0, width * height * channels).Select(_ => (byte)random.Next(256)).ToArray())
            : new PixelImage(width, height, channels, Enumerable.Range(0, width * height * channels).Select(_ => (ushort)random.Next(65536)).ToArray());
        float[] planar = ImageConversion.ToPlanar(image, channels, height, width, "x.png");
        double largest = 0;
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    double expected = image.GetSample(x, y, c) / (double)image.MaxSample;
                    largest = Math.Max(largest, Math.Abs(planar[(c * height + y) * width + x] - expected));
                }
            }
        }
        TestContext.Out.WriteLine($"largest |planar - sample/max| = {largest:E2} (tolerance 1e-6)");
        Assert.That(largest, Is.LessThan(1e-6));
    }

    [Test]
    public void WrongSizeNamesFileActualAndExpected()
    {
        var image = PixelImage.Create(27, 28, 1);
        var error = Assert.Throws<ImageMismatchException>(() => ImageConversion.ToPlanar(image, 1, 28, 28, "a.png"));
        Assert.That(error!.Message, Does.Contain("a.png is 28×27 (H×W)").And.Contain("expects 28×28"));
    }

    [Test]
    public void ColourIntoGreyModelIsRefused()
    {
        var image = new PixelImage(2, 1, 3, [10, 10, 10, 10, 20, 10]);
        var error = Assert.Throws<ImageMismatchException>(() => ImageConversion.ToPlanar(image, 1, 1, 2, "a.png"));
        Assert.That(error!.Message, Does.Contain("a.png has 3 channels (RGB); the model expects 1 (grey)").And.Contain("pixel (1, 0)"));
    }

    [Test]
    public void NeutralRgbAndOpaqueAlphaAreAcceptedLosslessly()
    {
        var rgb = new PixelImage(2, 1, 3, [10, 10, 10, 200, 200, 200]);
        Assert.That(ImageConversion.ToPlanar(rgb, 1, 1, 2), Is.EqualTo(new[] { 10 / 255f, 200 / 255f }));
        var greyAlpha = new PixelImage(2, 1, 2, [10, 255, 200, 255]);
        Assert.That(ImageConversion.ToPlanar(greyAlpha, 1, 1, 2), Is.EqualTo(new[] { 10 / 255f, 200 / 255f }));
        var grey = new PixelImage(2, 1, 1, [10, 200]);
        Assert.That(ImageConversion.ToPlanar(grey, 3, 1, 2), Is.EqualTo(new[] { 10 / 255f, 200 / 255f, 10 / 255f, 200 / 255f, 10 / 255f, 200 / 255f }));
    }

    [Test]
    public void TransparentPixelsAreRefused()
    {
        var image = new PixelImage(2, 1, 4, [1, 2, 3, 255, 4, 5, 6, 128]);
        var error = Assert.Throws<ImageMismatchException>(() => ImageConversion.ToPlanar(image, 3, 1, 2, "b.png"));
        Assert.That(error!.Message, Does.Contain("b.png has 4 channels (RGBA); the model expects 3 (RGB)").And.Contain("alpha 128"));
    }

    [Test]
    public void BatchFillsEachImageAndNamesTheBadOne()
    {
        var a = new PixelImage(2, 2, 1, [0, 51, 102, 255]);
        var b = new PixelImage(2, 2, 1, [255, 204, 153, 0]);
        float[] batch = ImageConversion.ToPlanarBatch([(a, "a.png"), (b, "b.png")], 1, 2, 2);
        Assert.That(batch, Is.EqualTo(new[] { 0f, 0.2f, 0.4f, 1f, 1f, 0.8f, 0.6f, 0f }).Within(1e-6f));
        var wrong = PixelImage.Create(3, 2, 1);
        var error = Assert.Throws<ImageMismatchException>(() => ImageConversion.ToPlanarBatch([(a, "a.png"), (wrong, "c.png")], 1, 2, 2));
        Assert.That(error!.Message, Does.StartWith("c.png is 2×3 (H×W)"));
    }

    [Test]
    public void FromPlanarClampsRoundsAndMapsNaNToZero()
    {
        float[] chw = [-1f, 0f, 0.5f / 255f, 1.49f / 255f, 1.51f / 255f, 0.5f, 1f, 7f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 254.5f / 255f];
        PixelImage image = ImageConversion.FromPlanar(chw, 1, 3, 4);
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 0, 0, 1, 1, 2, 128, 255, 255, 0, 255, 0, 255 }));
    }

    [Test]
    public void FromPlanarInterleavesChannels()
    {
        float[] chw = [0f, 1f, 0.2f, 0.4f, 0.6f, 0.8f];
        PixelImage image = ImageConversion.FromPlanar(chw, 3, 1, 2);
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 0, 51, 153, 255, 102, 204 }));
    }
}
