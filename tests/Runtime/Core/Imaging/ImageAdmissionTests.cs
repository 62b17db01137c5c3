// ImageAdmission on the files issue 23's corpus found misread: TGA recognised by what the bytes are (a PNG named .tga
// is a PNG; TGA bytes are read when the caller says they may be TGA); truncated and corrupt files of every format get
// their real story, never a channel count; a grey lossy WebP is grey; the EXIF orientation is applied, once, so the
// size Identify reports is the size Decode returns; Netpbm samples whose values are whitespace survive (ImageSharp's
// PBM decoder ate them); and the bytes of a file that never ends are bounded before they are read.
using System.IO.Compression;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public sealed class ImageAdmissionTests
{
    private static string Refusal(byte[] data, string name, ImageReadOptions? options = null)
    {
        var error = Assert.Throws<InvalidImageException>(() => ImageFile.Decode(data, options, name));
        TestContext.Out.WriteLine(error!.Message);
        Assert.That(error.Message, Does.StartWith(name).And.Not.Contain("channels").And.Not.Contain("\n"));
        return error.Message;
    }

    [Test]
    public void A_png_named_tga_is_read_by_what_it_is()
    {
        using var picture = SampleImages.Picture(12, 7, seed: 2);
        byte[] png = SampleImages.Encode(picture, new PngEncoder());

        var image = ImageFile.Decode(png, name: "really-a-png.tga");

        Assert.That(image.Pixels, Is.EqualTo(ImageFile.Decode(png, name: "x.png").Pixels));
        Assert.That(ImageFile.Identify(png, "really-a-png.tga").Format, Is.EqualTo("PNG"));
    }

    [Test]
    public void Tga_bytes_are_read_when_named_tga_or_allowed_and_refused_as_unknown_otherwise()
    {
        using var picture = SampleImages.Picture(12, 7, seed: 3);
        byte[] tga = SampleImages.Encode(picture, new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24 });
        byte[] expected = ImageFile.Decode(SampleImages.Encode(picture, new PngEncoder()), name: "x.png").Pixels;

        Assert.That(ImageFile.Decode(tga, name: "x.tga").Pixels, Is.EqualTo(expected));
        Assert.That(ImageFile.Decode(tga, new ImageReadOptions { MayBeTga = true }, "the uploaded image").Pixels, Is.EqualTo(expected));
        Assert.That(Refusal(tga, "the uploaded image"), Does.Contain("not an image in a format read here").And.Contain("image/x-tga"));
    }

    [Test]
    public void A_twenty_byte_tga_and_half_a_tiff_are_truncated()
    {
        using var picture = SampleImages.Picture(12, 7, seed: 4);
        byte[] tga = SampleImages.Encode(picture, new TgaEncoder { BitsPerPixel = TgaBitsPerPixel.Pixel24, Compression = TgaCompression.None });
        byte[] tiff = SampleImages.Encode(picture, new TiffEncoder());

        Assert.That(Refusal(tga[..20], "x.tga"), Does.Contain("truncated"));
        Assert.That(Refusal(tiff[..(tiff.Length / 2)], "x.tiff"), Does.Contain("truncated"));
    }

    // Cut in the middle of their pixel data, these decoded "successfully" with the rest transparent, and the CLI then
    // said "has 2 channels (grey+alpha) ... Flatten it onto a background".
    [TestCase("colour.jpg")]
    [TestCase("grey.jpg")]
    [TestCase("p5.pgm")]
    [TestCase("p6.ppm")]
    [TestCase("p2.pgm")]
    [TestCase("lossy.webp")]
    [TestCase("lossless.webp")]
    [TestCase("rgb.png")]
    [TestCase("rgb.bmp")]
    [TestCase("rle.tga")]
    [TestCase("colour.gif")]
    public void A_file_cut_in_its_pixel_data_is_truncated(string name)
    {
        byte[] file = SampleImages.EveryFormat().Single(s => s.Name == name).Bytes;

        Assert.That(Refusal(file[..(file.Length * 2 / 3)], name), Does.Contain("truncated"));
    }

    [Test]
    public void A_png_whose_image_data_holds_too_few_rows_is_incomplete()
    {
        // A well-formed file (every chunk whole, CRCs right, IEND present) whose zlib stream ends after 3 of 8 rows.
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal))
        {
            for (int y = 0; y < 3; y++)
            {
                zlib.Write([0, .. Enumerable.Range(0, 8 * 3).Select(i => (byte)(i * 9 + y))]);
            }
        }
        byte[] png = new PngFileBuilder().Ihdr(8, 8, 8, 2).Chunk("IDAT", compressed.ToArray()).Chunk("IEND", []).Build();

        Assert.That(Refusal(png, "short.png"), Does.Contain("incomplete: 40 of 64 pixels were never decoded"));
    }

    [Test]
    public void A_grey_lossy_webp_is_read_as_grey()
    {
        using var grey = SampleImages.Picture(24, 16, grey: true, seed: 7);
        byte[] webp = SampleImages.Encode(grey, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy, Quality = 80 });
        using var decoded = Image.Load<Rgb24>(webp);
        int spread = 0;
        decoded.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                foreach (var p in rows.GetRowSpan(y)) spread = Math.Max(spread, Math.Max(Math.Abs(p.R - p.G), Math.Abs(p.G - p.B)));
            }
        });
        TestContext.Out.WriteLine($"ImageSharp decodes the grey lossy WebP with R, G, B up to {spread} levels apart");

        var image = ImageFile.Decode(webp, name: "grey.webp");

        Assert.That(spread, Is.GreaterThan(0), "the case needs a decode whose channels differ");
        Assert.That(image.Channels, Is.EqualTo(1));
    }

    [Test]
    public void A_colour_lossy_webp_stays_colour()
    {
        using var colour = SampleImages.Picture(24, 16, seed: 8);
        byte[] webp = SampleImages.Encode(colour, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });

        Assert.That(ImageFile.Decode(webp, name: "colour.webp").Channels, Is.EqualTo(3));
    }

    [TestCase(6, true)]
    [TestCase(3, false)]
    [TestCase(8, true)]
    public void The_exif_orientation_is_applied_once_and_identify_reports_the_turned_size(int orientation, bool turned)
    {
        using var stored = SampleImages.Picture(8, 6, grey: true, seed: 10);
        byte[] untagged = SampleImages.Encode(stored, new PngEncoder { ColorType = PngColorType.Grayscale });
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)orientation);
        byte[] tagged = SampleImages.Encode(stored, new PngEncoder { ColorType = PngColorType.Grayscale });
        var plain = ImageFile.Decode(untagged, name: "plain.png");

        var header = ImageFile.Identify(tagged, "tagged.png");
        var image = ImageFile.Decode(tagged, name: "tagged.png");

        Assert.That(header.Orientation, Is.EqualTo(orientation));
        Assert.That((header.Height, header.Width), Is.EqualTo(turned ? (8, 6) : (6, 8)));
        Assert.That((image.Height, image.Width), Is.EqualTo((header.Height, header.Width)));
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                // EXIF: 6 turns the stored picture 90° clockwise for display, 3 turns it 180°, 8 turns it 90° anticlockwise.
                var (sx, sy) = orientation switch
                {
                    6 => (y, plain.Height - 1 - x),
                    3 => (plain.Width - 1 - x, plain.Height - 1 - y),
                    _ => (plain.Width - 1 - y, x),
                };
                Assert.That(image.GetSample(x, y, 0), Is.EqualTo(plain.GetSample(sx, sy, 0)), $"pixel ({x}, {y})");
            }
        }
    }

    [Test]
    public void A_jpeg_orientation_is_applied_as_a_browser_applies_it()
    {
        using var stored = SampleImages.Picture(16, 8, seed: 11);
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);

        var image = ImageFile.Decode(SampleImages.Encode(stored, new JpegEncoder()), name: "photo.jpg");

        Assert.That((image.Height, image.Width), Is.EqualTo((16, 8)));
    }

    // ImageSharp 2.1.13's PBM decoder skips every whitespace byte (and '#' comment) after the header: a binary file
    // whose first samples are 9-13, 32 or 35 lost them, decoded shifted, and its last row stayed transparent.
    [Test]
    public void Binary_netpbm_samples_that_look_like_whitespace_are_samples()
    {
        byte[] header = "P5\n4 2\n255\n"u8.ToArray();
        byte[] samples = [32, 10, 35, 9, 13, 200, 12, 11];

        var image = ImageFile.Decode([.. header, .. samples], name: "spaces.pgm");

        Assert.That(image.Pixels, Is.EqualTo(samples));
    }

    [Test]
    public void Every_netpbm_form_reads_the_samples_written()
    {
        using var colour = SampleImages.Picture(10, 3, seed: 12);
        using var grey = SampleImages.Picture(10, 3, grey: true, seed: 13);
        byte[] rgb = ImageFile.Decode(SampleImages.Encode(colour, new PngEncoder()), name: "x.png").Pixels;
        byte[] luma = ImageFile.Decode(SampleImages.Encode(grey, new PngEncoder()), name: "x.png").Pixels;
        byte[] bits = luma.Select(v => v < 128 ? (byte)0 : (byte)255).ToArray();

        Assert.That(ImageFile.Decode(SampleImages.Netpbm(colour, 3), name: "p3.ppm").Pixels, Is.EqualTo(rgb));
        Assert.That(ImageFile.Decode(SampleImages.Netpbm(colour, 6), name: "p6.ppm").Pixels, Is.EqualTo(rgb));
        Assert.That(ImageFile.Decode(SampleImages.Netpbm(grey, 2), name: "p2.pgm").Pixels, Is.EqualTo(luma));
        Assert.That(ImageFile.Decode(SampleImages.Netpbm(grey, 5), name: "p5.pgm").Pixels, Is.EqualTo(luma));
        Assert.That(ImageFile.Decode(SampleImages.Netpbm(grey, 1), name: "p1.pbm").Pixels, Is.EqualTo(bits));
        Assert.That(ImageFile.Decode(SampleImages.Netpbm(grey, 4), name: "p4.pbm").Pixels, Is.EqualTo(bits));
    }

    [TestCase(0, 28)]
    [TestCase(28, 0)]
    public void A_header_of_no_size_is_corrupt_not_a_size_to_resize(int width, int height)
    {
        byte[] png = new PngFileBuilder().Ihdr(width, height, 8, 0).Chunk("IEND", []).Build();

        Assert.That(Refusal(png, "empty-size.png"), Does.Contain($"{height}×{width}").And.Contain("which no image has").And.Not.Contain("--resize"));
    }

    [Test]
    public void A_file_that_never_ends_is_refused_after_the_bound_not_read_to_exhaustion()
    {
        var error = Assert.Throws<InvalidImageException>(() => ImageFile.ReadBytes("/dev/zero"));

        TestContext.Out.WriteLine(error!.Message);
        Assert.That(error.Message, Does.StartWith("/dev/zero").And.Contain("more than 256 MiB").And.Contain("device or pipe"));
    }

    [Test]
    public void A_regular_file_is_read_whole_in_one_array()
    {
        using var folder = new TemporaryFolder("vaeonnx-admission");
        string path = folder.File("x.bin");
        byte[] bytes = new byte[300_000];
        new Random(1).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        Assert.That(ImageFile.ReadBytes(path), Is.EqualTo(bytes));
    }
}
