// The encoder's per-row filter choice against a direct implementation of the spec's heuristic (section 12.7):
// every row's filter must be the lowest-numbered type with the minimum sum of |filtered byte as signed|.
using System.IO.Compression;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class PngFilterChoiceTests
{
    [Test]
    public void EveryRowUsesAMinimumSumOfAbsoluteDifferencesFilter([Values(1, 3, 4)] int channels)
    {
        PixelImage image = PngRoundTripTests.Fill8(41, 24, channels, new Random(channels));
        byte[] raw = InflateIdat(Png.Encode(image));
        int rowBytes = image.Width * channels;
        var used = new int[5];
        for (int y = 0; y < image.Height; y++)
        {
            byte[] row = image.Pixels.AsSpan(y * rowBytes, rowBytes).ToArray();
            byte[] above = y == 0 ? new byte[rowBytes] : image.Pixels.AsSpan((y - 1) * rowBytes, rowBytes).ToArray();
            long[] costs = Enumerable.Range(0, 5).Select(t => Cost(t, row, above, channels)).ToArray();
            int chosen = raw[y * (rowBytes + 1)];
            used[chosen]++;
            Assert.That(chosen, Is.EqualTo(Array.IndexOf(costs, costs.Min())), $"row {y}: costs {string.Join(", ", costs)}");
        }
        TestContext.Out.WriteLine($"filters used (None, Sub, Up, Average, Paeth): {string.Join(", ", used)}");
        Assert.That(used.Count(n => n > 0), Is.GreaterThan(1), "the test image should make more than one filter win");
    }

    private static long Cost(int type, byte[] row, byte[] above, int bpp)
    {
        long cost = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = above[i], c = i >= bpp ? above[i - bpp] : 0;
            int p = a + b - c;
            int paeth = Math.Abs(p - a) <= Math.Abs(p - b) && Math.Abs(p - a) <= Math.Abs(p - c) ? a : Math.Abs(p - b) <= Math.Abs(p - c) ? b : c;
            int predictor = type switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => paeth };
            cost += Math.Abs((int)(sbyte)(byte)(row[i] - predictor));
        }
        return cost;
    }

    private static byte[] InflateIdat(byte[] png)
    {
        byte[] zlib = PngFileBuilder.Chunks(png).Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        using var input = new ZLibStream(new MemoryStream(zlib), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
