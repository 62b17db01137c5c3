// Hostile input: mutated versions of valid files must either decode or raise PngFormatException, never
// IndexOutOfRange, Overflow, OutOfMemory or anything else. Mutations go past the CRC check too: some rebuild the
// chunks with fresh CRCs, some alter the decompressed scanlines and recompress, so the decoder's logic is reached.
using System.IO.Compression;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class PngFuzzTests
{
    private const int MutationsPerKind = 2000;

    private static List<byte[]> Sources()
    {
        string folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "Runtime", "Imaging", "Fixtures");
        var sources = new[] { "grey1_adam7.png", "grey16_trns.png", "rgb8.png", "rgba16_adam7.png", "palette4_trns.png", "palette8_adam7.png", "split_idat_rgb8.png", "grey2_trns.png" }
            .Select(name => File.ReadAllBytes(Path.Combine(folder, name))).ToList();
        sources.Add(Png.Encode(PngRoundTripTests.Fill8(17, 5, 3, new Random(5))));
        return sources;
    }

    [Test]
    public void RandomByteFlipsAndTruncationsOnlyRaisePngFormatException()
    {
        var random = new Random(101);
        List<byte[]> sources = Sources();
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < MutationsPerKind; i++)
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
            Record(outcomes, file);
        }
        Report(outcomes);
    }

    [Test]
    public void MutatedChunksWithValidCrcsOnlyRaisePngFormatException()
    {
        var random = new Random(202);
        List<byte[]> sources = Sources();
        var outcomes = new Dictionary<string, int>();
        string[] types = ["IHDR", "PLTE", "tRNS", "IDAT", "IEND", "gAMA", "XXXX"];
        for (int i = 0; i < MutationsPerKind; i++)
        {
            var chunks = PngFileBuilder.Chunks(sources[random.Next(sources.Count)]);
            int which = random.Next(chunks.Count);
            (string type, byte[] data) = chunks[which];
            switch (random.Next(5))
            {
                case 0 when data.Length > 0:
                    data = (byte[])data.Clone();
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                    chunks[which] = (type, data);
                    break;
                case 1:
                    chunks[which] = (type, data[..random.Next(data.Length + 1)]);
                    break;
                case 2:
                    chunks[which] = (types[random.Next(types.Length)], data);
                    break;
                case 3:
                    chunks.RemoveAt(which);
                    break;
                default:
                    chunks.Insert(random.Next(chunks.Count + 1), chunks[which]);
                    break;
            }
            var builder = new PngFileBuilder();
            foreach ((string t, byte[] d) in chunks)
            {
                builder.Chunk(t, d);
            }
            Record(outcomes, builder.Build());
        }
        Report(outcomes);
    }

    [Test]
    public void MutatedScanlinesOnlyRaisePngFormatException()
    {
        var random = new Random(303);
        List<byte[]> sources = Sources();
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < MutationsPerKind; i++)
        {
            var chunks = PngFileBuilder.Chunks(sources[random.Next(sources.Count)]);
            byte[] raw = Inflate(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
            for (int k = random.Next(1, 6); k > 0; k--)
            {
                raw[random.Next(raw.Length)] = (byte)random.Next(256);
            }
            if (random.Next(4) == 0)
            {
                raw = raw[..random.Next(raw.Length)];
            }
            var builder = new PngFileBuilder();
            bool idatWritten = false;
            foreach ((string type, byte[] data) in chunks)
            {
                if (type != "IDAT")
                {
                    builder.Chunk(type, data);
                }
                else if (!idatWritten)
                {
                    builder.Idat(raw);
                    idatWritten = true;
                }
            }
            Record(outcomes, builder.Build());
        }
        Report(outcomes);
    }

    private static void Record(Dictionary<string, int> outcomes, byte[] file)
    {
        string outcome;
        try
        {
            Png.Decode(file);
            outcome = "decoded";
        }
        catch (PngFormatException e)
        {
            outcome = "PngFormatException: " + string.Concat(e.Message.TakeWhile(c => c is not (':' or ';' or '(' or ',' or '\'') && !char.IsDigit(c))).Trim();
        }
        catch (Exception e)
        {
            Assert.Fail($"Hostile input raised {e.GetType().Name} instead of PngFormatException: {e}\nFile: {Convert.ToHexString(file)}");
            return;
        }
        outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
    }

    private static void Report(Dictionary<string, int> outcomes)
    {
        foreach ((string outcome, int count) in outcomes.OrderByDescending(p => p.Value))
        {
            TestContext.Out.WriteLine($"{count,5}  {outcome}");
        }
        Assert.That(outcomes.Keys.Count(k => k.StartsWith("PngFormatException")), Is.GreaterThan(1), "the mutations should reach more than one kind of check");
    }

    private static byte[] Inflate(byte[] zlib)
    {
        using var input = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
