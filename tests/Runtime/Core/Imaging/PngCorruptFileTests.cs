// Hand-made broken files: each must raise PngFormatException whose message says precisely what is wrong.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class PngCorruptFileTests
{
    /// <summary>A valid 3x2 8-bit grey file: rows "0 1 2 3" with filter None.</summary>
    private static PngFileBuilder ValidGreyStart() => new PngFileBuilder().Ihdr(3, 2, 8, 0);

    private static readonly byte[] GreyRows = [0, 10, 20, 30, 0, 40, 50, 60];

    private static void ExpectError(byte[] file, params string[] fragments)
    {
        var error = Assert.Throws<PngFormatException>(() => Png.Decode(file));
        TestContext.Out.WriteLine(error!.Message);
        foreach (string fragment in fragments)
        {
            Assert.That(error.Message, Does.Contain(fragment));
        }
    }

    [Test]
    public void TheValidBaseFileDecodes()
    {
        PixelImage image = Png.Decode(ValidGreyStart().Idat(GreyRows).Iend().Build());
        Assert.That(image.Pixels, Is.EqualTo(new byte[] { 10, 20, 30, 40, 50, 60 }));
    }

    [Test]
    public void WrongSignature()
    {
        byte[] file = ValidGreyStart().Idat(GreyRows).Iend().Build();
        file[1] = (byte)'Q';
        ExpectError(file, "Not a PNG file", "89504E470D0A1A0A");
        ExpectError([1, 2, 3], "Not a PNG file", "first 3 bytes");
        ExpectError([], "Not a PNG file");
    }

    [Test]
    public void BadCrcNamesTheChunk()
    {
        ExpectError(ValidGreyStart().Chunk("IDAT", PngFileBuilder.Zlib(GreyRows), crc: 12345).Iend().Build(), "CRC mismatch in chunk 'IDAT'", "stored 0x00003039");
        byte[] file = ValidGreyStart().Idat(GreyRows).Iend().Build();
        file[16] ^= 1;  // a byte of IHDR's width
        ExpectError(file, "CRC mismatch in chunk 'IHDR'");
    }

    [Test]
    public void TruncatedFiles()
    {
        byte[] file = ValidGreyStart().Idat(GreyRows).Iend().Build();
        int idatStart = 8 + 25;
        ExpectError(file[..(idatStart + 10)], "truncated", "chunk 'IDAT'", "only 2 follow");
        ExpectError(file[..(idatStart + 5)], "truncated", "only 5 of 8 bytes");
        ExpectError(file[..(file.Length - 12)], "ends without an IEND chunk");
        ExpectError(file[..8], "ends right after the PNG signature");
    }

    [Test]
    public void ZlibDataTooShortOrCorrupt()
    {
        byte[] shortRows = GreyRows[..5];
        ExpectError(ValidGreyStart().Idat(shortRows).Iend().Build(), "too short", "decompresses to 5 bytes", "needs 8");
        byte[] zlib = PngFileBuilder.Zlib(GreyRows);
        ExpectError(ValidGreyStart().Chunk("IDAT", zlib[..4]).Iend().Build(), "IDAT zlib data");
        ExpectError(ValidGreyStart().Chunk("IDAT", [0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF]).Iend().Build(), "IDAT zlib data is corrupt");
    }

    [Test]
    public void IhdrMustComeFirstAndOnlyOnce()
    {
        ExpectError(new PngFileBuilder().Chunk("gAMA", [0, 0, 0, 1]).Ihdr(3, 2, 8, 0).Idat(GreyRows).Iend().Build(), "First chunk is 'gAMA'", "must start with IHDR");
        ExpectError(ValidGreyStart().Ihdr(3, 2, 8, 0).Idat(GreyRows).Iend().Build(), "Second IHDR");
        ExpectError(new PngFileBuilder().Chunk("IHDR", new byte[12]).Build(), "IHDR chunk has 12 bytes");
    }

    [TestCase(3, 2, 3, 2, 0, 0, 0, "Invalid bit depth 3 for colour type 2; PNG allows 8, 16")]
    [TestCase(3, 2, 4, 6, 0, 0, 0, "Invalid bit depth 4 for colour type 6; PNG allows 8, 16")]
    [TestCase(3, 2, 16, 3, 0, 0, 0, "Invalid bit depth 16 for colour type 3; PNG allows 1, 2, 4, 8")]
    [TestCase(3, 2, 8, 5, 0, 0, 0, "Invalid colour type 5")]
    [TestCase(0, 2, 8, 0, 0, 0, 0, "Image size 0x2 is not supported")]
    [TestCase(3, 0, 8, 0, 0, 0, 0, "Image size 3x0 is not supported")]
    [TestCase(20000, 2, 8, 0, 0, 0, 0, "Image size 20000x2 is not supported")]
    [TestCase(16384, 16384, 8, 0, 0, 0, 0, "width*height at most")]
    [TestCase(3, 2, 8, 0, 2, 0, 0, "Invalid interlace method 2")]
    [TestCase(3, 2, 8, 0, 0, 1, 0, "Invalid compression method 1")]
    [TestCase(3, 2, 8, 0, 0, 0, 1, "Invalid filter method 1")]
    public void BadIhdrValues(int width, int height, int depth, int colour, int interlace, int compression, int filter, string message)
    {
        ExpectError(new PngFileBuilder().Ihdr(width, height, depth, colour, interlace, compression, filter).Idat(GreyRows).Iend().Build(), message);
    }

    [Test]
    public void HugeClaimedSizeWithLittleDataFailsCheaply()
    {
        // 8192x8192 RGBA16 would need 512 MiB; the data is 8 bytes, so decoding must stop at "too short".
        long before = GC.GetAllocatedBytesForCurrentThread();
        ExpectError(new PngFileBuilder().Ihdr(8192, 8192, 16, 6).Idat(GreyRows).Iend().Build(), "too short");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"allocated {allocated} bytes (limit 16 MiB)");
        Assert.That(allocated, Is.LessThan(16 << 20));
    }

    [Test]
    public void MissingIendAndMissingIdat()
    {
        ExpectError(ValidGreyStart().Idat(GreyRows).Build(), "ends without an IEND chunk");
        ExpectError(ValidGreyStart().Iend().Build(), "No IDAT chunk");
    }

    [Test]
    public void BadFilterTypeByte()
    {
        ExpectError(ValidGreyStart().Idat([0, 1, 2, 3, 5, 4, 5, 6]).Iend().Build(), "Invalid filter type 5 on row 1", "PNG allows 0-4");
        byte[] interlaced = new PngFileBuilder().Ihdr(1, 1, 8, 0, interlace: 1).Idat([9, 0]).Iend().Build();
        ExpectError(interlaced, "Invalid filter type 9 on row 0 of Adam7 pass 1");
    }

    [Test]
    public void PaletteErrors()
    {
        byte[] twoEntries = [255, 0, 0, 0, 255, 0];
        // 2-bit indices 0,1,2: index 2 is past a two-entry palette.
        byte[] rows = [0, 0b00_01_10_00];
        ExpectError(new PngFileBuilder().Ihdr(3, 1, 2, 3).Chunk("PLTE", twoEntries).Idat(rows).Iend().Build(),
            "Palette index 2 at pixel (2, 0) is beyond the palette's 2 entries");
        ExpectError(new PngFileBuilder().Ihdr(3, 1, 2, 3).Idat(rows).Iend().Build(), "needs a PLTE chunk");
        ExpectError(new PngFileBuilder().Ihdr(3, 1, 2, 3).Chunk("PLTE", [1, 2, 3, 4]).Idat(rows).Iend().Build(), "PLTE chunk has 4 bytes");
        ExpectError(new PngFileBuilder().Ihdr(3, 1, 1, 3).Chunk("PLTE", new byte[9]).Idat(rows).Iend().Build(), "must hold 1..2 RGB entries");
        ExpectError(new PngFileBuilder().Ihdr(3, 1, 2, 3).Chunk("PLTE", []).Idat(rows).Iend().Build(), "PLTE chunk has 0 bytes");
        ExpectError(ValidGreyStart().Chunk("PLTE", twoEntries).Idat(GreyRows).Iend().Build(), "PLTE chunk is not allowed for colour type 0");
        ExpectError(new PngFileBuilder().Ihdr(3, 1, 2, 3).Chunk("PLTE", twoEntries).Chunk("PLTE", twoEntries).Idat(rows).Iend().Build(), "Second PLTE");
        ExpectError(new PngFileBuilder().Ihdr(3, 1, 2, 3).Idat(rows).Chunk("PLTE", twoEntries).Iend().Build(), "comes after IDAT");
    }

    [Test]
    public void TransparencyErrors()
    {
        byte[] twoEntries = [255, 0, 0, 0, 255, 0];
        byte[] rows = [0, 0b00_01_00_00];
        ExpectError(new PngFileBuilder().Ihdr(3, 1, 2, 3).Chunk("PLTE", twoEntries).Chunk("tRNS", [1, 2, 3]).Idat(rows).Iend().Build(),
            "tRNS chunk has 3 alpha entries but the palette has only 2");
        ExpectError(new PngFileBuilder().Ihdr(3, 1, 2, 3).Chunk("tRNS", [1]).Chunk("PLTE", twoEntries).Idat(rows).Iend().Build(), "comes before PLTE");
        ExpectError(ValidGreyStart().Chunk("tRNS", [0, 1, 2]).Idat(GreyRows).Iend().Build(), "tRNS chunk has 3 bytes; colour type 0 needs 2");
        ExpectError(new PngFileBuilder().Ihdr(1, 1, 8, 4).Chunk("tRNS", [0, 1]).Idat([0, 1, 2]).Iend().Build(), "not allowed for colour type 4");
    }

    [Test]
    public void ChunkOrderAndUnknownCriticalChunks()
    {
        byte[] first = PngFileBuilder.Zlib(GreyRows);
        ExpectError(ValidGreyStart().Chunk("IDAT", first[..3]).Chunk("tEXt", [65, 0, 66]).Chunk("IDAT", first[3..]).Iend().Build(), "IDAT chunks must be consecutive");
        ExpectError(ValidGreyStart().Chunk("ABCD", [1]).Idat(GreyRows).Iend().Build(), "Unknown critical chunk 'ABCD'");
        ExpectError(ValidGreyStart().Chunk("AB1D", [1]).Idat(GreyRows).Iend().Build(), "Invalid chunk type bytes 41423144");
        // Unknown ancillary chunks are skipped.
        Assert.That(Png.Decode(ValidGreyStart().Chunk("abCD", [1]).Idat(GreyRows).Iend().Build()).Pixels, Has.Length.EqualTo(6));
    }
}
