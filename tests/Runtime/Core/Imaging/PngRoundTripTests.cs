// Encode-then-decode round trips for every colour type and bit depth the encoder writes, at awkward sizes
// (1x1, odd widths, one row, one column) and with content that makes every filter type worth choosing.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class PngRoundTripTests
{
    private static readonly (int Width, int Height)[] Sizes = [(1, 1), (1, 7), (7, 1), (3, 5), (28, 28), (33, 17), (130, 9)];

    [Test]
    public void EightBitImagesSurviveEncodeAndDecode([Values(1, 2, 3, 4)] int channels)
    {
        var random = new Random(1234 + channels);
        foreach ((int width, int height) in Sizes)
        {
            PixelImage image = Fill8(width, height, channels, random);
            PixelImage decoded = Png.Decode(Png.Encode(image));
            Assert.That((decoded.Width, decoded.Height, decoded.Channels, decoded.BitDepth), Is.EqualTo((width, height, channels, 8)));
            int differences = image.Pixels.Zip(decoded.Pixels).Count(p => p.First != p.Second);
            TestContext.Out.WriteLine($"{width}x{height}x{channels} 8-bit: {differences} differing samples (tolerance 0)");
            Assert.That(decoded.Pixels, Is.EqualTo(image.Pixels));
        }
    }

    [Test]
    public void SixteenBitImagesSurviveEncodeAndDecode([Values(1, 2, 3, 4)] int channels)
    {
        var random = new Random(99 + channels);
        foreach ((int width, int height) in Sizes)
        {
            var samples = new ushort[width * height * channels];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = (ushort)random.Next(65536);
            }
            var image = new PixelImage(width, height, channels, samples);
            PixelImage decoded = Png.Decode(Png.Encode(image));
            Assert.That((decoded.Width, decoded.Height, decoded.Channels, decoded.BitDepth), Is.EqualTo((width, height, channels, 16)));
            Assert.That(decoded.Pixels16, Is.EqualTo(samples));
        }
    }

    [Test]
    public void SmoothImagesCompressWellBecauseFiltersAreChosen()
    {
        // A gradient is what Sub/Up/Paeth exist for: filtered it is almost all constant bytes.
        const int size = 256;
        var pixels = new byte[size * size * 3];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                pixels[(y * size + x) * 3] = (byte)x;
                pixels[(y * size + x) * 3 + 1] = (byte)y;
                pixels[(y * size + x) * 3 + 2] = (byte)(x + y);
            }
        }
        byte[] encoded = Png.Encode(new PixelImage(size, size, 3, pixels));
        TestContext.Out.WriteLine($"256x256 RGB gradient: {encoded.Length} bytes encoded from {pixels.Length} raw (limit {pixels.Length / 50})");
        Assert.That(encoded.Length, Is.LessThan(pixels.Length / 50));
        Assert.That(Png.Decode(encoded).Pixels, Is.EqualTo(pixels));
    }

    [Test]
    public void WriteIsAtomicAndReadReturnsTheSameImage()
    {
        string folder = Path.Combine(Path.GetTempPath(), "vaeonnx-png-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(folder, "sub", "image.png");
            PixelImage first = Fill8(5, 4, 3, new Random(1));
            Png.Write(first, path);
            PixelImage second = Fill8(6, 2, 1, new Random(2));
            Png.Write(second, path);
            Assert.That(Png.Read(path).Pixels, Is.EqualTo(second.Pixels));
            Assert.That(Directory.GetFiles(Path.Combine(folder, "sub")), Has.Length.EqualTo(1), "no temporary file may be left behind");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void ReadNamesTheFileInFormatErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), "vaeonnx-not-a-png-" + Guid.NewGuid().ToString("N") + ".png");
        File.WriteAllText(path, "hello, this is text");
        try
        {
            var error = Assert.Throws<PngFormatException>(() => Png.Read(path));
            Assert.That(error!.Message, Does.StartWith(path).And.Contain("Not a PNG file"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static PixelImage Fill8(int width, int height, int channels, Random random)
    {
        // Half noise, half smooth ramps, so both "None" and the predicting filters get picked.
        var pixels = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
        {
            for (int i = 0; i < width * channels; i++)
            {
                pixels[y * width * channels + i] = y % 2 == 0 ? (byte)random.Next(256) : (byte)(i * 3 + y);
            }
        }
        return new PixelImage(width, height, channels, pixels);
    }
}
