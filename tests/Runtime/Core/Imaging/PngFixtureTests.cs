// The decoder against files from an independent encoder: Fixtures/make_fixtures.py writes every colour type and
// bit depth (with and without Adam7), palettes with tRNS, grey/RGB tRNS keys, all five filter types and split IDATs
// using only Python's zlib and struct, plus the samples the decoder must produce (cross-checked with Pillow there).
using System.Text.Json;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class PngFixtureTests
{
    private static readonly string Folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "Runtime", "Imaging", "Fixtures");

    public sealed record Fixture(string File, string Expected, int Width, int Height, int Channels, int BitDepth)
    {
        public override string ToString() => File;
    }

    public static IEnumerable<Fixture> Fixtures()
    {
        string manifest = Path.Combine(Folder, "fixtures.json");
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return JsonSerializer.Deserialize<Fixture[]>(File.ReadAllText(manifest), options)!;
    }

    [TestCaseSource(nameof(Fixtures))]
    public void DecodesIndependentlyWrittenFileExactly(Fixture fixture)
    {
        PixelImage image = Png.Read(Path.Combine(Folder, fixture.File));
        Assert.That((image.Width, image.Height, image.Channels, image.BitDepth),
            Is.EqualTo((fixture.Width, fixture.Height, fixture.Channels, fixture.BitDepth)));
        int[] expected = ReadExpected(fixture);
        int[] actual = Enumerable.Range(0, expected.Length)
            .Select(i => image.GetSample(i / fixture.Channels % fixture.Width, i / fixture.Channels / fixture.Width, i % fixture.Channels)).ToArray();
        int largest = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        TestContext.Out.WriteLine($"{fixture.File}: largest sample difference {largest} (tolerance 0)");
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Fixtures))]
    public void DecodesFromAStreamThatReturnsOneByteAtATime(Fixture fixture)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Folder, fixture.File));
        PixelImage whole = Png.Decode(bytes);
        using var trickle = new TrickleStream(bytes);
        PixelImage trickled = Png.Decode(trickle);
        Assert.That(Enumerable.Range(0, whole.Width * whole.Height * whole.Channels)
            .All(i => whole.GetSample(i / whole.Channels % whole.Width, i / whole.Channels / whole.Width, i % whole.Channels)
                == trickled.GetSample(i / whole.Channels % whole.Width, i / whole.Channels / whole.Width, i % whole.Channels)));
    }

    private static int[] ReadExpected(Fixture fixture)
    {
        byte[] raw = File.ReadAllBytes(Path.Combine(Folder, fixture.Expected));
        return fixture.BitDepth == 8
            ? raw.Select(b => (int)b).ToArray()
            : Enumerable.Range(0, raw.Length / 2).Select(i => raw[2 * i] | (raw[2 * i + 1] << 8)).ToArray();
    }

    /// <summary>A non-seekable stream that hands out one byte per Read, like a slow network body.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0 || _position == data.Length)
            {
                return 0;
            }
            buffer[offset] = data[_position++];
            return 1;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
