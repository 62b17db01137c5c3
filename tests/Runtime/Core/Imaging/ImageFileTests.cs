// ImageFile (ImageSharp underneath): PNG encode-then-decode round trips for every channel count and bit depth at
// awkward sizes; every other format read back against the pixels written; what the decoded image keeps (grey,
// alpha, 16 bits, palette expansion); resize and grey conversion only when asked; corrupt and mutated files give
// InvalidImageException and nothing else; and a decompression bomb refused from its header before any pixel is decoded.
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class ImageFileTests
{
    private static readonly (int Width, int Height)[] Sizes = [(1, 1), (1, 7), (7, 1), (3, 5), (28, 28), (33, 17), (130, 9)];

    [Test]
    public void EightBitImagesSurviveEncodeAndDecode([Values(1, 2, 3, 4)] int channels)
    {
        var random = new Random(1234 + channels);
        foreach ((int width, int height) in Sizes)
        {
            PixelImage image = Fill8(width, height, channels, random);
            PixelImage decoded = ImageFile.Decode(ImageFile.EncodePng(image));
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
            PixelImage decoded = ImageFile.Decode(ImageFile.EncodePng(image));
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
        byte[] encoded = ImageFile.EncodePng(new PixelImage(size, size, 3, pixels));
        TestContext.Out.WriteLine($"256x256 RGB gradient: {encoded.Length} bytes encoded from {pixels.Length} raw (limit {pixels.Length / 50})");
        Assert.That(encoded.Length, Is.LessThan(pixels.Length / 50));
        Assert.That(ImageFile.Decode(encoded).Pixels, Is.EqualTo(pixels));
    }

    [Test]
    public void WriteIsAtomicAndReadReturnsTheSameImage()
    {
        string folder = Path.Combine(Path.GetTempPath(), "vaeonnx-png-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(folder, "sub", "image.png");
            PixelImage first = Fill8(5, 4, 3, new Random(1));
            ImageFile.WritePng(first, path);
            PixelImage second = Fill8(6, 2, 1, new Random(2));
            ImageFile.WritePng(second, path);
            Assert.That(ImageFile.Read(path).Pixels, Is.EqualTo(second.Pixels));
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
            var error = Assert.Throws<InvalidImageException>(() => ImageFile.Read(path));
            Assert.That(error!.Message, Does.StartWith(path).And.Contain("not an image"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void A_decompression_bomb_is_refused_from_its_header_before_any_pixel_is_decoded()
    {
        // 8192×8192 16-bit grey: 128 MiB of zero rows (plus filter bytes) deflate to a few hundred KB.
        const int size = 8192;
        byte[] bomb = PngFileBuilder.Bomb(size, size);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidImageException>(() => ImageFile.Decode(bomb, name: "bomb.png"));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"{bomb.Length} byte file claiming {size}×{size}: {allocated} managed bytes allocated before the refusal; {error!.Message}");
        Assert.That(error.Message, Does.Contain("bomb.png").And.Contain("8192×8192").And.Contain("refused before decoding"));
        Assert.That(allocated, Is.LessThan(bomb.Length * 4L + (1 << 20)), "only the file's bytes and the header, never the 128 MiB of pixels");
    }

    [Test]
    public void A_bound_of_exactly_the_claimed_size_lets_the_image_through()
    {
        var image = Fill8(6, 4, 1, new Random(3));
        var bytes = ImageFile.EncodePng(image);
        Assert.That(ImageFile.Decode(bytes, new ImageReadOptions { MaxPixels = 24 }).Pixels, Is.EqualTo(image.Pixels));
        Assert.Throws<InvalidImageException>(() => ImageFile.Decode(bytes, new ImageReadOptions { MaxPixels = 23 }));
    }

    private static IEnumerable<TestCaseData> LosslessFormats()
    {
        yield return new TestCaseData(new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel24 }, "grey.bmp").SetArgDisplayNames("bmp");
        yield return new TestCaseData(new GifEncoder(), "grey.gif").SetArgDisplayNames("gif");
        yield return new TestCaseData(new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24, Compression = TgaCompression.None }, "grey.tga").SetArgDisplayNames("tga");
        yield return new TestCaseData(new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }, "grey.webp").SetArgDisplayNames("webp");
        yield return new TestCaseData(new TiffEncoder(), "grey.tiff").SetArgDisplayNames("tiff");
        yield return new TestCaseData(new PbmEncoder { ColorType = PbmColorType.Grayscale, Encoding = PbmEncoding.Binary }, "grey.pgm").SetArgDisplayNames("pgm");
        yield return new TestCaseData(new PngEncoder { ColorType = PngColorType.Palette }, "grey.png").SetArgDisplayNames("png-palette");
    }

    [TestCaseSource(nameof(LosslessFormats))]
    public void Every_lossless_format_reads_back_the_grey_pixels_written(IImageEncoder encoder, string name)
    {
        // 16 grey levels: a GIF or palette PNG holds them exactly.
        var expected = new byte[7 * 5];
        using var image = new Image<L8>(7, 5);
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = (byte)(i % 16 * 17);
            image[i % 7, i / 7] = new L8(expected[i]);
        }
        using var stream = new MemoryStream();
        image.Save(stream, encoder);

        var decoded = ImageFile.Decode(stream.ToArray(), name: name);

        Assert.That((decoded.Height, decoded.Width, decoded.Channels, decoded.BitDepth), Is.EqualTo((5, 7, 1, 8)));
        Assert.That(decoded.Pixels, Is.EqualTo(expected));
    }

    [Test]
    public void Jpeg_reads_as_grey_or_colour_close_to_what_was_written()
    {
        using var image = new Image<Rgb24>(16, 16);
        for (int y = 0; y < 16; y++)
        {
            for (int x = 0; x < 16; x++)
            {
                image[x, y] = new Rgb24((byte)(x * 16), (byte)(y * 16), 128);
            }
        }
        using var stream = new MemoryStream();
        image.Save(stream, new JpegEncoder { Quality = 100 });

        var decoded = ImageFile.Decode(stream.ToArray());

        Assert.That((decoded.Height, decoded.Width, decoded.Channels, decoded.BitDepth), Is.EqualTo((16, 16, 3, 8)));
        int worst = 0;
        for (int y = 0; y < 16; y++)
        {
            for (int x = 0; x < 16; x++)
            {
                worst = Math.Max(worst, Math.Abs(decoded.GetSample(x, y, 0) - x * 16));
                worst = Math.Max(worst, Math.Abs(decoded.GetSample(x, y, 1) - y * 16));
                worst = Math.Max(worst, Math.Abs(decoded.GetSample(x, y, 2) - 128));
            }
        }
        TestContext.Out.WriteLine($"JPEG quality 100: largest sample difference {worst} (tolerance 8)");
        Assert.That(worst, Is.LessThanOrEqualTo(8));
    }

    [Test]
    public void Opaque_alpha_and_exact_8_bit_values_are_not_kept_but_translucency_and_16_bit_detail_are()
    {
        var opaque = new PixelImage(2, 1, 4, [10, 20, 30, 255, 40, 50, 60, 255]);
        var translucent = new PixelImage(2, 1, 2, [10, 255, 20, 128]);
        var wideButExact = new PixelImage(2, 1, 1, new ushort[] { 257 * 3, 257 * 200 });
        var wide = new PixelImage(2, 1, 1, new ushort[] { 1000, 65535 });

        var a = ImageFile.Decode(ImageFile.EncodePng(opaque));
        var b = ImageFile.Decode(ImageFile.EncodePng(translucent));
        var c = ImageFile.Decode(ImageFile.EncodePng(wideButExact));
        var d = ImageFile.Decode(ImageFile.EncodePng(wide));

        Assert.That((a.Channels, a.BitDepth, a.Pixels), Is.EqualTo((3, 8, new byte[] { 10, 20, 30, 40, 50, 60 })));
        Assert.That((b.Channels, b.BitDepth, b.Pixels), Is.EqualTo((2, 8, new byte[] { 10, 255, 20, 128 })));
        Assert.That((c.Channels, c.BitDepth, c.Pixels), Is.EqualTo((1, 8, new byte[] { 3, 200 })));
        Assert.That((d.Channels, d.BitDepth, d.Pixels16), Is.EqualTo((1, 16, new ushort[] { 1000, 65535 })));
    }

    [Test]
    public void Resize_averages_with_the_box_resampler_and_happens_only_when_asked()
    {
        // 4×4 grey of 2×2 blocks: box-shrinking to 2×2 gives each block's value.
        byte[] pixels = [0, 0, 100, 100, 0, 0, 100, 100, 200, 200, 50, 50, 200, 200, 50, 50];
        var bytes = ImageFile.EncodePng(new PixelImage(4, 4, 1, pixels));

        var same = ImageFile.Decode(bytes);
        var resized = ImageFile.Decode(bytes, new ImageReadOptions { Resize = (2, 2), Resampler = "box" });

        Assert.That((same.Height, same.Width), Is.EqualTo((4, 4)));
        Assert.That((resized.Height, resized.Width, resized.Channels), Is.EqualTo((2, 2, 1)));
        Assert.That(resized.Pixels, Is.EqualTo(new byte[] { 0, 100, 200, 50 }));
        Assert.Throws<ArgumentException>(() => ImageReadOptions.ResamplerFor("sinc-ish"));
    }

    [Test]
    public void Colour_becomes_grey_only_when_asked()
    {
        var colour = ImageFile.EncodePng(new PixelImage(1, 1, 3, [255, 0, 0]));

        var kept = ImageFile.Decode(colour);
        var grey = ImageFile.Decode(colour, new ImageReadOptions { Grey = true });

        Assert.That((kept.Channels, kept.Pixels), Is.EqualTo((3, new byte[] { 255, 0, 0 })));
        Assert.That(grey.Channels, Is.EqualTo(1));
        // ITU-R BT.709 luminance of pure red: 0.2126 of full scale.
        Assert.That(grey.GetSample(0, 0, 0) / (double)grey.MaxSample, Is.EqualTo(0.2126).Within(0.002));
    }

    [Test]
    public void Corrupt_and_mutated_files_raise_only_InvalidImageException()
    {
        var random = new Random(101);
        using var jpegImage = new Image<Rgb24>(9, 7);
        using var jpeg = new MemoryStream();
        jpegImage.Save(jpeg, new JpegEncoder());
        List<byte[]> sources = [ImageFile.EncodePng(Fill8(17, 5, 3, new Random(5))), ImageFile.EncodePng(Fill8(6, 6, 2, new Random(6))), jpeg.ToArray()];
        int decoded = 0, refused = 0;
        Assert.Throws<InvalidImageException>(() => ImageFile.Decode([]));
        Assert.Throws<InvalidImageException>(() => ImageFile.Decode("GIF89a"u8));
        for (int i = 0; i < 600; i++)
        {
            byte[] file = (byte[])sources[random.Next(sources.Count)].Clone();
            if (i % 3 == 0)
            {
                file = file[..random.Next(file.Length)];
            }
            else
            {
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    file[random.Next(file.Length)] ^= (byte)(1 << random.Next(8));
                }
            }
            try
            {
                ImageFile.Decode(file);
                decoded++;
            }
            catch (InvalidImageException)
            {
                refused++;
            }
        }
        TestContext.Out.WriteLine($"600 mutated files: {decoded} decoded, {refused} refused with InvalidImageException, nothing else thrown");
        Assert.That(refused, Is.GreaterThan(0));
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
