// ImageSource against ImageSharp used directly as the reference: the same file loaded as Rgba64 (and resized with the
// same sampler: box when both axes shrink, bilinear otherwise) gives exactly the same samples, for an 8-bit RGB file
// and a 16-bit RGBA one, at its own size, shrunk, enlarged and shrunk on one axis only. A decompression bomb (a small
// file whose header claims 8192×8192) is still refused from its header, before decoding, with or without a resize,
// and the file is read into memory once (measured by the bytes allocated).
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;
using VaeOnnx.Tests.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Tests.Trainer.Data;

public sealed class ImageSourceTests
{
    // The source images are 13×17 (H×W).
    private const int SourceHeight = 13, SourceWidth = 17;

    private TemporaryFolder _folder = null!;
    private string _rgb8 = "", _rgba16 = "";

    [OneTimeSetUp]
    public void WriteImages()
    {
        _folder = new TemporaryFolder();
        var random = new Random(5);
        using (var rgb = new Image<Rgb24>(SourceWidth, SourceHeight))
        {
            rgb.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    foreach (ref Rgb24 p in rows.GetRowSpan(y))
                    {
                        p = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                    }
                }
            });
            _rgb8 = _folder.File("rgb8.png");
            rgb.SaveAsPng(_rgb8);
        }
        using (var rgba = new Image<Rgba64>(SourceWidth, SourceHeight))
        {
            rgba.ProcessPixelRows(rows =>
            {
                for (int y = 0; y < rows.Height; y++)
                {
                    foreach (ref Rgba64 p in rows.GetRowSpan(y))
                    {
                        p = new Rgba64((ushort)random.Next(65536), (ushort)random.Next(65536), (ushort)random.Next(65536), (ushort)random.Next(1, 65536));
                    }
                }
            });
            _rgba16 = _folder.File("rgba16.png");
            rgba.SaveAsPng(_rgba16);
        }
    }

    [OneTimeTearDown]
    public void RemoveImages() => _folder.Dispose();

    [TestCase("rgb8", 3, 0, 0)]
    [TestCase("rgb8", 3, 6, 5)]
    [TestCase("rgb8", 3, 13, 17)]
    [TestCase("rgb8", 3, 20, 30)]
    [TestCase("rgb8", 3, 6, 30)]
    [TestCase("rgba16", 4, 0, 0)]
    [TestCase("rgba16", 4, 6, 5)]
    [TestCase("rgba16", 4, 20, 30)]
    public void SamplesEqualImageSharpLoadingTheFileDirectly(string name, int channels, int height, int width)
    {
        string path = name == "rgb8" ? _rgb8 : _rgba16;
        (int, int)? size = height == 0 ? null : (height, width);

        DecodedImage image = ImageSource.Read(path, size);

        float[] expected = Reference(path, size, channels);
        Assert.That((image.Height, image.Width, image.Channels), Is.EqualTo((height == 0 ? SourceHeight : height, width == 0 ? SourceWidth : width, channels)));
        Assert.That(image.Samples, Is.EqualTo(expected));
    }

    [TestCase(0, 0)]
    [TestCase(8, 8)]
    public void ADecompressionBombIsRefusedFromItsHeaderAfterOneRead(int height, int width)
    {
        string path = _folder.File($"bomb-{height}.png");
        File.WriteAllBytes(path, PngFileBuilder.Bomb(8192, 8192));
        long length = new FileInfo(path).Length;
        (int, int)? size = height == 0 ? null : (height, width);
        // The first refusal pays ImageSharp's one-time set-up; the second is measured.
        Assert.Throws<DatasetException>(() => ImageSource.Read(path, size));
        long before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<DatasetException>(() => ImageSource.Read(path, size));

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"{length} byte file claiming 8192×8192: {allocated} managed bytes allocated before the refusal; {e!.Message}");
        Assert.That(e.Message, Does.StartWith(path).And.Contain("8192×8192").And.Contain("refused before decoding"));
        // One copy of the file, and one of each PNG chunk as ImageSharp's identify reads it to check its CRC (its buffers
        // come from the admission's DecodeBudget, plain managed arrays, so they count here): never the 128 MiB of
        // pixels, nor a second read of the file (which would add a copy and an identify: 4 times its length).
        Assert.That(allocated, Is.LessThan(length * 9 / 4 + (64 << 10)), "the file is read once and no pixel is decoded");
    }

    // ImageSharp directly: Rgba64 samples / 65535 in R, G, B(, A) order, resized with the sampler ImageSource documents.
    private static float[] Reference(string path, (int Height, int Width)? size, int channels)
    {
        using var image = Image.Load<Rgba64>(path);
        if (size is (int height, int width))
        {
            IResampler sampler = height <= image.Height && width <= image.Width ? KnownResamplers.Box : KnownResamplers.Triangle;
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(width, height), Mode = ResizeMode.Stretch, Sampler = sampler }));
        }
        var pixels = new Rgba64[image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        var samples = new float[pixels.Length * channels];
        for (int i = 0; i < pixels.Length; i++)
        {
            ushort[] values = [pixels[i].R, pixels[i].G, pixels[i].B, pixels[i].A];
            for (int c = 0; c < channels; c++)
            {
                samples[i * channels + c] = values[c] / 65535f;
            }
        }
        return samples;
    }
}
