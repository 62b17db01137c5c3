// Netpbm PBM/PGM/PPM (P1-P6, https://netpbm.sourceforge.net/doc/pbm.html): a header of whitespace-separated decimals (width, height, and a maximum value except for
// bitmaps; '#' starts a comment), then the samples: as bytes after one whitespace character (P4-P6, 2 bytes a sample
// when the maximum is over 255) or as decimals (P1-P3; P1's digits may run together). All samples must be present:
// ImageSharp fills missing ones with zeros. Never alpha, never lossy. NetpbmDecoder reads the samples.
namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class PbmContainer
{
    public static bool Matches(ReadOnlySpan<byte> data) =>
        data.Length >= 3 && data[0] == 'P' && data[1] is >= (byte)'1' and <= (byte)'6' && IsSpace(data[2]);

    /// <summary>P1-P6, the size, the maximum sample value (1 for bitmaps) and where the samples start.</summary>
    public readonly record struct Header(int Kind, long Width, long Height, long Max, int DataStart)
    {
        public int Channels => Kind is 3 or 6 ? 3 : 1;

        public bool Binary => Kind >= 4;
    }

    /// <summary>The header of a file that <see cref="Matches"/>; ContainerException when it ends early or is not numbers.</summary>
    public static Header ReadHeader(ReadOnlySpan<byte> data)
    {
        int kind = data[1] - '0';
        int position = 2;
        long width = Number(data, ref position, "width");
        long height = Number(data, ref position, "height");
        long max = kind is 1 or 4 ? 1 : Number(data, ref position, "maximum value");
        if (max is < 1 or > 65535)
        {
            throw ContainerException.Corrupt($"the header's maximum value {max} is outside 1-65535");
        }
        // Binary samples start after exactly one whitespace character; plain ones after any whitespace and comments.
        return new Header(kind, width, height, max, kind >= 4 ? position + 1 : position);
    }

    public static ContainerFacts Scan(ReadOnlySpan<byte> data)
    {
        var (kind, width, height, max, position) = ReadHeader(data);
        int channels = kind is 3 or 6 ? 3 : 1;
        long samples = width * height * channels;
        if (kind >= 4)
        {
            long bytes = kind == 4 ? (width + 7) / 8 * height : samples * (max > 255 ? 2 : 1);
            if (position + bytes > data.Length)
            {
                throw ContainerException.EndsEarly($"its {height}×{width} samples need {bytes} bytes after the header; {Math.Max(0, data.Length - position)} are there");
            }
        }
        else
        {
            long found = kind == 1 ? CountDigits(data, position) : CountNumbers(data, position);
            if (found < samples)
            {
                throw ContainerException.EndsEarly($"it holds {found} of the {samples} samples its {height}×{width} header promises");
            }
        }
        return new ContainerFacts(ImageFormatKind.Pbm) { CanHaveAlpha = false };
    }

    internal static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    internal static void SkipSpaceAndComments(ReadOnlySpan<byte> data, ref int position)
    {
        while (position < data.Length)
        {
            if (data[position] == '#')
            {
                while (position < data.Length && data[position] != '\n' && data[position] != '\r') position++;
            }
            else if (IsSpace(data[position]))
            {
                position++;
            }
            else
            {
                return;
            }
        }
    }

    private static long Number(ReadOnlySpan<byte> data, ref int position, string what)
    {
        SkipSpaceAndComments(data, ref position);
        if (position >= data.Length)
        {
            throw ContainerException.EndsEarly($"it ends before the header's {what}");
        }
        long value = 0;
        int start = position;
        while (position < data.Length && data[position] is >= (byte)'0' and <= (byte)'9')
        {
            value = Math.Min(value * 10 + (data[position++] - '0'), int.MaxValue);
        }
        if (position == start)
        {
            throw ContainerException.Corrupt($"the header's {what} is not a number");
        }
        return value;
    }

    internal static long CountDigits(ReadOnlySpan<byte> data, int position)
    {
        long count = 0;
        for (; position < data.Length; position++)
        {
            if (data[position] == '#')
            {
                SkipSpaceAndComments(data, ref position);
                position--;
            }
            else if (data[position] is (byte)'0' or (byte)'1')
            {
                count++;
            }
        }
        return count;
    }

    internal static long CountNumbers(ReadOnlySpan<byte> data, int position)
    {
        long count = 0;
        bool inNumber = false;
        for (; position < data.Length; position++)
        {
            byte b = data[position];
            if (b == '#' && !inNumber)
            {
                SkipSpaceAndComments(data, ref position);
                position--;
                continue;
            }
            bool digit = b is >= (byte)'0' and <= (byte)'9';
            if (digit && !inNumber) count++;
            inNumber = digit;
        }
        return count;
    }
}
