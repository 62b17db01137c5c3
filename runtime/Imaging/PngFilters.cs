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

    /// <summary>Writes filter <paramref name="type"/> of <paramref name="row"/> into <paramref name="output"/> (same length).</summary>
    public static void Apply(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int unit, Span<byte> output)
    {
        for (int i = 0; i < row.Length; i++)
        {
            int left = i >= unit ? row[i - unit] : 0;
            int up = previous[i];
            int upLeft = i >= unit ? previous[i - unit] : 0;
            int predictor = type switch
            {
                0 => 0,
                1 => left,
                2 => up,
                3 => (left + up) >> 1,
                _ => Paeth(left, up, upLeft),
            };
            output[i] = (byte)(row[i] - predictor);
        }
    }

    /// <summary>Filters <paramref name="row"/> with each type and keeps the one whose bytes, read as signed, have the
    /// smallest sum of absolute values. <paramref name="output"/> receives the filtered bytes; returns the filter type.</summary>
    public static byte ApplyBest(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int unit, Span<byte> output, Span<byte> scratch)
    {
        long best = long.MaxValue;
        byte bestType = 0;
        for (int type = 0; type < Count; type++)
        {
            Apply(type, row, previous, unit, scratch);
            long sum = 0;
            foreach (byte b in scratch)
            {
                sum += Math.Abs((int)(sbyte)b);
            }
            if (sum < best)
            {
                best = sum;
                bestType = (byte)type;
                scratch.CopyTo(output);
            }
        }
        return bestType;
    }

    private static byte Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a);
        int pb = Math.Abs(p - b);
        int pc = Math.Abs(p - c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }
}
