// The words ImageFile uses for broken files, each checked against the fault built into the file: an empty file is
// "empty" (not "the first 0 bytes are"), a PNG cut after its signature or inside a chunk is "truncated" (not "lacks
// the signature"), and damaged zlib data is "corrupt image data" (not "unsupported compression method"). Every one is
// an InvalidImageException naming the file.
using System.Buffers.Binary;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public sealed class ImageFileMessageTests
{
    private static string Refusal(byte[] data, string name = "x.png")
    {
        var error = Assert.Throws<InvalidImageException>(() => ImageFile.Decode(data, name: name));
        TestContext.Out.WriteLine($"{data.Length} bytes: {error!.Message} (inner: {error.InnerException?.GetType().Name}: {error.InnerException?.Message})");
        Assert.That(error.Message, Does.StartWith(name));
        return error.Message;
    }

    private static byte[] SmallPng() => ImageFile.EncodePng(new PixelImage(6, 4, 1, Enumerable.Range(0, 24).Select(i => (byte)(i * 10)).ToArray()));

    [Test]
    public void An_empty_file_is_empty() => Assert.That(Refusal([]), Does.Contain("is empty"));

    [Test]
    public void A_signature_only_png_is_truncated() => Assert.That(Refusal(PngFileBuilder.Signature), Does.Contain("truncated"));

    [Test]
    public void A_png_cut_inside_its_header_chunk_is_truncated() => Assert.That(Refusal(SmallPng()[..20]), Does.Contain("truncated"));

    [Test]
    public void A_png_cut_inside_its_data_is_truncated_or_corrupt()
    {
        byte[] png = SmallPng();
        Assert.That(Refusal(png[..(png.Length - 16)]), Does.Contain("truncated").Or.Contain("corrupt"));
    }

    [Test]
    public void Damaged_zlib_data_is_corrupt_image_data()
    {
        byte[] png = SmallPng();
        int idat = IndexOf(png, "IDAT"u8.ToArray());
        // The zlib header's compression method (CMF) byte: 0x78 becomes 0x7F, an unknown method; CRC fixed so only the data is wrong.
        png[idat + 4] = 0x7F;
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(idat - 4));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(idat + 4 + length), PngFileBuilder.Crc(png[idat..(idat + 4 + length)]));
        string message = Refusal(png);
        Assert.That(message, Does.Contain("image data is corrupt"));
        Assert.That(message, Does.Not.Contain("unsupported compression method"));
    }

    private static int IndexOf(byte[] data, byte[] pattern)
    {
        for (int i = 0; i + pattern.Length <= data.Length; i++)
        {
            if (data.AsSpan(i, pattern.Length).SequenceEqual(pattern))
            {
                return i;
            }
        }
        throw new AssertionException("pattern not found");
    }
}
