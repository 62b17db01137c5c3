// The five PNG scanline filters (None, Sub, Up, Average, Paeth; spec section 9, https://www.w3.org/TR/png/#9Filters):
// reversing them when decoding, and choosing one per row when encoding with the spec's suggested heuristic
// (smallest sum of absolute values of the filtered bytes taken as signed). It does not touch interlacing or zlib.
namespace VaeOnnx.Runtime.Imaging;

internal static class PngFilters
{
    public const int Count = 5;

    /// <summary>Reverses filter <paramref name="type"/> in place on <paramref name="row"/>; <paramref name="previous"/> is the
    /// unfiltered row above (all zeros for a pass's first row); <paramref name="unit"/> is the filter's bytes per pixel.</summary>
    public static void Unfilter(int type, Span<byte> row, ReadOnlySpan<byte> previous, int unit)
    {
        switch (type)
        {
            case 0:
                break;
            case 1:
                for (int i = unit; i < row.Length; i++)
                {
                    row[i] += row[i - unit];
                }
                break;
            case 2:
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] += previous[i];
                }
                break;
            case 3:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= unit ? row[i - unit] : 0;
                    row[i] += (byte)((left + previous[i]) >> 1);
                }
                break;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= unit ? row[i - unit] : 0;
                    int upLeft = i >= unit ? previous[i - unit] : 0;
                    row[i] += Paeth(left, previous[i], upLeft);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Filter type must be 0-4.");
        }
    }

    /// <summary>Writes filter <paramref name="type"/> of <paramref name="row"/> into <paramref name="output"/> (same length)
    /// and returns the heuristic's cost: the sum of the filtered bytes' absolute values, read as signed.</summary>
    public static long Apply(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int unit, Span<byte> output)
    {
        // One loop per type rather than a switch per byte: the encoder runs all five on every row.
        long cost = 0;
        int n = row.Length;
        output = output[..n];
        previous = previous[..n];
        switch (type)
        {
            case 0:
                for (int i = 0; i < n; i++)
                {
                    cost += Cost(output[i] = row[i]);
                }
                break;
            case 1:
                for (int i = 0; i < n; i++)
                {
                    cost += Cost(output[i] = (byte)(row[i] - (i >= unit ? row[i - unit] : 0)));
                }
                break;
            case 2:
                for (int i = 0; i < n; i++)
                {
                    cost += Cost(output[i] = (byte)(row[i] - previous[i]));
                }
                break;
            case 3:
                for (int i = 0; i < n; i++)
                {
                    int left = i >= unit ? row[i - unit] : 0;
                    cost += Cost(output[i] = (byte)(row[i] - ((left + previous[i]) >> 1)));
                }
                break;
            default:
                for (int i = 0; i < n; i++)
                {
                    int left = i >= unit ? row[i - unit] : 0;
                    int upLeft = i >= unit ? previous[i - unit] : 0;
                    cost += Cost(output[i] = (byte)(row[i] - Paeth(left, previous[i], upLeft)));
                }
                break;
        }
        return cost;
    }

    /// <summary>Filters <paramref name="row"/> with each type and keeps the one whose bytes, read as signed, have the
    /// smallest sum of absolute values (the spec's suggested heuristic, section 12.7). <paramref name="output"/> receives
    /// the filtered bytes; <paramref name="scratch"/> is a row-sized work buffer. Returns the filter type.</summary>
    public static byte ApplyBest(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int unit, Span<byte> output, Span<byte> scratch)
    {
        long best = Apply(0, row, previous, unit, output);
        byte bestType = 0;
        for (int type = 1; type < Count; type++)
        {
            long cost = Apply(type, row, previous, unit, scratch);
            if (cost < best)
            {
                best = cost;
                bestType = (byte)type;
                scratch[..row.Length].CopyTo(output);
            }
        }
        return bestType;
    }

    private static int Cost(byte filtered) => filtered < 128 ? filtered : 256 - filtered;

    private static byte Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }
}
