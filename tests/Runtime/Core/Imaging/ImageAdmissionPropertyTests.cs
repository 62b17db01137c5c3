// A property test over the one image reader (ImageAdmission, through ImageFile.Identify and Decode): valid files of
// every format (SampleImages) are mutated, by truncation at every tenth byte, flipped bytes, inflated dimensions in
// the header, and huge frame and page counts, and every result is held to three rules:
//   1. it is refused with one line that starts with the file's name and names a real problem (truncated, corrupt,
//      incomplete, too large, ...; never a channel count, never .NET's generic texts), or it decodes to exactly the
//      size its header declares;
//   2. with ImageReadOptions.MaxPixels = 2^20, identifying and decoding one file allocates at most MaxManagedBytes of
//      managed memory in all (an upper bound on its peak; ImageSharp's buffers are managed here, DecodeBudget);
//   3. nothing but InvalidImageException is ever thrown.
// About 6,000 cases, seeded, a few seconds.
using System.Buffers.Binary;
using System.Text;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public sealed class ImageAdmissionPropertyTests
{
    /// <summary>The stated bound of rule 2: 96 bytes per pixel the options allow (2^20 pixels), in all.</summary>
    private const long MaxManagedBytes = 96L << 20;

    private static readonly ImageReadOptions Options = new() { MaxPixels = 1L << 20 };

    private static readonly string[] RealProblems =
    [
        "truncated", "corrupt", "incomplete", "not an image in a format read here", "is empty", "more than the", "which no image has",
        "would take more than", "feature not read here",
    ];

    private static readonly string[] NeverSaid =
    [
        "channels (grey+alpha)", "Flatten it", "Object reference", "divide by zero", "out of the range", "Index was outside", "Exception", "System.", "Arithmetic operation",
        "Value cannot be null", "Unable to cast", "Input string was not",
    ];

    private sealed record Case(string Name, byte[] Bytes);

    private static IEnumerable<Case> Cases()
    {
        var seeds = SampleImages.EveryFormat().Select(s => new Case(s.Name, s.Bytes)).ToList();
        seeds.Add(new Case("frames.gif", SampleImages.AnimatedGif(40, 30, 12)));
        seeds.Add(new Case("pages.tiff", SampleImages.MultiPageTiff((16, 8), (30, 5), (3, 3))));
        seeds.Add(new Case("frames.webp", SampleImages.AnimatedWebp(20, 12, 4)));
        var random = new Random(23);
        foreach (var seed in seeds)
        {
            yield return seed;
            for (int cut = 0; cut < seed.Bytes.Length; cut += 10)
            {
                yield return new Case($"{seed.Name}@cut{cut}", seed.Bytes[..cut]);
            }
            for (int i = 0; i < 64; i++)
            {
                byte[] flipped = (byte[])seed.Bytes.Clone();
                int flips = 1 + random.Next(4);
                for (int f = 0; f < flips; f++)
                {
                    flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                }
                yield return new Case($"{seed.Name}@flip{i}", flipped);
            }
            foreach (var (width, height) in new[] { (1000, 1000), (1024, 1025), (60000, 60000), (0, 16) })
            {
                if (Inflate(seed.Name, seed.Bytes, width, height) is { } inflated)
                {
                    yield return new Case($"{seed.Name}@{width}x{height}", inflated);
                }
            }
        }
        // Frame and page counts: thousands of one-pixel frames on a canvas at the pixel bound, pages of other sizes.
        yield return new Case("bomb.gif", SampleImages.AnimatedGif(1000, 1000, 5000));
        yield return new Case("bomb-canvas.gif", SampleImages.AnimatedGif(4000, 4000, 200));
        yield return new Case("many-pages.tiff", SampleImages.MultiPageTiff([.. Enumerable.Range(0, 2000).Select(i => (1 + i % 7, 1 + i % 5))]));
        yield return new Case("many-frames.webp", SampleImages.AnimatedWebp(24, 16, 500));
    }

    // The frame and page bombs are not merely refused: the first frame decodes, the rest is counted and said.
    [TestCase("bomb.gif", 1000, 1000, "holds 5000 frames; only the first is read")]
    [TestCase("bomb-canvas.gif", 4000, 4000, "more than the 1048576 allowed")]
    [TestCase("many-pages.tiff", 1, 1, "holds 2000 pages; only the first is read")]
    [TestCase("many-frames.webp", 16, 24, "holds 500 frames; only the first is read")]
    [TestCase("pages.tiff", 8, 16, "holds 3 pages; only the first is read")]
    public void A_file_of_many_frames_decodes_its_first_frame_and_says_so(string name, int height, int width, string expected)
    {
        var bytes = Cases().First(c => c.Name == name).Bytes;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        try
        {
            var header = ImageFile.Identify(bytes, name, Options);
            var image = ImageFile.Decode(bytes, Options, name);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            TestContext.Out.WriteLine($"{name} ({bytes.Length} bytes): {image}, {header.Note}; {allocated >> 10} KiB allocated");
            Assert.That((image.Height, image.Width), Is.EqualTo((height, width)));
            Assert.That(header.Note, Is.EqualTo($"{name} {expected}."));
            Assert.That(allocated, Is.LessThan(MaxManagedBytes));
        }
        catch (InvalidImageException e)
        {
            TestContext.Out.WriteLine(e.Message);
            Assert.That(e.Message, Does.Contain(expected), "only a canvas over the pixel bound is refused, from its header");
        }
    }

    [Test]
    public void Every_mutated_file_is_refused_in_one_line_or_decoded_to_its_declared_size_within_the_memory_bound()
    {
        var failures = new List<string>();
        var stories = new Dictionary<string, int>();
        int refused = 0, decoded = 0, total = 0;
        long worst = 0;
        string worstCase = "";
        ImageFile.Decode(SampleImages.EveryFormat()[0].Bytes, Options); // one-time set-up is not the first case's cost
        foreach (var (name, bytes) in Cases())
        {
            total++;
            long before = GC.GetTotalAllocatedBytes(precise: true);
            string? problem = Check(name, bytes, ref refused, ref decoded, stories);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            if (allocated > worst)
            {
                (worst, worstCase) = (allocated, name);
            }
            if (allocated > MaxManagedBytes)
            {
                problem ??= $"allocated {allocated >> 20} MiB, over the {MaxManagedBytes >> 20} MiB bound";
            }
            if (problem is not null)
            {
                failures.Add($"{name}: {problem}");
            }
        }
        TestContext.Out.WriteLine($"{total} cases: {decoded} decoded to their declared size, {refused} refused; most managed memory {worst >> 10} KiB ({worstCase})");
        foreach (var (story, count) in stories.OrderByDescending(s => s.Value))
        {
            TestContext.Out.WriteLine($"{count,6} × ...{story}");
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(30)));
        Assert.That(refused, Is.GreaterThan(total / 2), "most mutations break the file");
    }

    // Null when the case keeps the three rules; otherwise what it broke.
    private static string? Check(string name, byte[] bytes, ref int refused, ref int decoded, Dictionary<string, int> stories)
    {
        ImageHeader? header = null;
        string? identifyRefusal = null;
        try
        {
            header = ImageFile.Identify(bytes, name, Options);
        }
        catch (InvalidImageException e)
        {
            identifyRefusal = e.Message;
        }
        catch (Exception e)
        {
            return $"Identify threw {e.GetType().Name}: {e.Message}";
        }
        try
        {
            var image = ImageFile.Decode(bytes, Options, name);
            decoded++;
            if (header is null)
            {
                return $"decoded {image} although Identify refused it: {identifyRefusal}";
            }
            return (image.Height, image.Width) == (header.Height, header.Width)
                ? null
                : $"decoded {image.Height}×{image.Width}, but the header declares {header.Height}×{header.Width}";
        }
        catch (InvalidImageException e)
        {
            refused++;
            string story = e.Message[Math.Min(name.Length, e.Message.Length)..];
            story = System.Text.RegularExpressions.Regex.Replace(story[..Math.Min(story.Length, 70)], "[0-9]+", "#");
            stories[story] = stories.GetValueOrDefault(story) + 1;
            return RefusalProblem(name, e.Message);
        }
        catch (Exception e)
        {
            return $"Decode threw {e.GetType().Name}: {e.Message}";
        }
    }

    private static string? RefusalProblem(string name, string message)
    {
        if (!message.StartsWith(name, StringComparison.Ordinal))
        {
            return $"the refusal does not start with the name: {message}";
        }
        if (message.Contains('\n') || message.Contains('\r'))
        {
            return $"the refusal is not one line: {message}";
        }
        if (!RealProblems.Any(p => message.Contains(p, StringComparison.Ordinal)))
        {
            return $"the refusal names no known problem: {message}";
        }
        return NeverSaid.FirstOrDefault(s => message.Contains(s, StringComparison.Ordinal)) is { } bad
            ? $"the refusal says '{bad}': {message}"
            : null;
    }

    /// <summary><paramref name="bytes"/> with the header's size set to <paramref name="width"/> × <paramref name="height"/>
    /// (checksums mended where the format has them), or null for a format or variant without a fixed place for it.</summary>
    private static byte[]? Inflate(string name, byte[] bytes, int width, int height)
    {
        byte[] b = (byte[])bytes.Clone();
        string extension = Path.GetExtension(name);
        switch (extension)
        {
            case ".png":
                BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(16), width);
                BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(20), height);
                BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(29), PngFileBuilder.Crc(b[12..29]));
                return b;
            case ".gif":
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), (ushort)Math.Min(width, 65535));
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), (ushort)Math.Min(height, 65535));
                return b;
            case ".bmp":
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), width);
                BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), height);
                return b;
            case ".tga":
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), (ushort)Math.Min(width, 65535));
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(14), (ushort)Math.Min(height, 65535));
                return b;
            case ".jpg":
                for (int i = 2; i + 9 < b.Length; i++)
                {
                    if (b[i] == 0xFF && b[i + 1] is 0xC0 or 0xC1 or 0xC2)
                    {
                        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(i + 5), (ushort)Math.Min(height, 65535));
                        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(i + 7), (ushort)Math.Min(width, 65535));
                        return b;
                    }
                }
                return null;
            case ".webp" when b.AsSpan(12, 4).SequenceEqual("VP8L"u8):
                uint bits = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(21));
                bits = (bits & 0xF0000000u) | (uint)(Math.Clamp(width, 1, 16384) - 1) | ((uint)(Math.Clamp(height, 1, 16384) - 1) << 14);
                BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(21), bits);
                return b;
            case ".tiff" when !name.StartsWith("pages", StringComparison.Ordinal):
                return InflateTiff(b, width, height);
            case ".pbm" or ".pgm" or ".ppm":
                string text = Encoding.Latin1.GetString(b);
                int line = text.IndexOf("\n24 16\n", StringComparison.Ordinal);
                return line < 0 ? null : Encoding.Latin1.GetBytes(text[..line] + $"\n{width} {height}\n" + text[(line + 7)..]);
            default:
                return null;
        }
    }

    // ImageWidth (256) and ImageLength (257) of the first directory of a little-endian TIFF, as SHORT or LONG values.
    private static byte[]? InflateTiff(byte[] b, int width, int height)
    {
        if (b[0] != 'I')
        {
            return null;
        }
        int ifd = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(4));
        int count = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(ifd));
        for (int i = 0; i < count; i++)
        {
            int entry = ifd + 2 + i * 12;
            ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(entry));
            ushort type = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(entry + 2));
            if (tag is 256 or 257)
            {
                int value = tag == 256 ? width : height;
                if (type == 3)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(entry + 8), (ushort)Math.Min(value, 65535));
                }
                else
                {
                    BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(entry + 8), value);
                }
            }
        }
        return b;
    }
}
