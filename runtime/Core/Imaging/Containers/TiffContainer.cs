// TIFF 6.0 and BigTIFF: a byte-order mark, then a chain of image file directories (IFDs), one per page. Every page is
// counted (a chain that loops is corrupt); the first page's strips or tiles must lie inside the file, since the decoder
// fills what is missing with zeros (half a TIFF decoded with exit 0). A file of several pages is handed to the decoder
// with the first IFD's link to the next set to zero, so only that page is read: ImageSharp 2.1 otherwise parses every
// directory and refuses a second page of another size with its own message. Alpha is possible with extra samples (or
// 2 or 4 samples per pixel); JPEG compression (6, 7) is lossy.
using System.Buffers.Binary;

namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class TiffContainer
{
    /// <summary>Pages counted at most; a longer chain is reported as "at least" this many.</summary>
    public const int MaxPagesCounted = 100_000;

    private const ushort StripOffsets = 273, StripByteCounts = 279, TileOffsets = 324, TileByteCounts = 325;
    private const ushort SamplesPerPixel = 277, ExtraSamples = 338, Compression = 259;

    public static bool Matches(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && ((data[0] == 'I' && data[1] == 'I' && data[3] == 0 && data[2] is 42 or 43)
                             || (data[0] == 'M' && data[1] == 'M' && data[2] == 0 && data[3] is 42 or 43));

    public static ContainerFacts Scan(ReadOnlySpan<byte> data)
    {
        var reader = new Reader(data);
        long first = reader.FirstDirectory();
        var (next, linkAt, facts) = reader.ReadFirstDirectory(first);
        int pages = 1;
        var seen = new HashSet<long> { first };
        while (next != 0 && pages < MaxPagesCounted)
        {
            if (!seen.Add(next))
            {
                throw ContainerException.Corrupt($"its chain of pages loops back to page {pages}");
            }
            next = reader.NextDirectory(next);
            pages++;
        }
        byte[]? firstOnly = null;
        if (pages > 1)
        {
            firstOnly = data.ToArray();
            firstOnly.AsSpan(linkAt, reader.OffsetSize).Clear();
        }
        return facts with { Frames = pages, FirstFrameOnly = firstOnly };
    }

    private readonly ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly bool _little = data[0] == 'I';
        private readonly bool _big = data[2] == 43 || data[3] == 43;

        public int OffsetSize => _big ? 8 : 4;

        private int EntrySize => _big ? 20 : 12;

        private int CountSize => _big ? 8 : 2;

        public long FirstDirectory()
        {
            Require(0, _big ? 16 : 8, "the TIFF header");
            long offset = _big ? (long)U64(8) : U32(4);
            if (offset < 8)
            {
                throw ContainerException.Corrupt($"its first page is said to start at byte {offset}, inside the header");
            }
            return offset;
        }

        /// <summary>The offset of the directory after the one at <paramref name="at"/> (0 for none).</summary>
        public long NextDirectory(long at)
        {
            var (count, linkAt) = Directory(at);
            _ = count;
            return Offset(linkAt);
        }

        public (long Next, int LinkAt, ContainerFacts Facts) ReadFirstDirectory(long at)
        {
            var (count, linkAt) = Directory(at);
            long samples = 1;
            bool extra = false, jpeg = false;
            List<long>? offsets = null, counts = null;
            for (long i = 0; i < count; i++)
            {
                int entry = (int)(at + CountSize + i * EntrySize);
                ushort tag = U16(entry);
                switch (tag)
                {
                    case StripOffsets or TileOffsets:
                        offsets = Values(entry);
                        break;
                    case StripByteCounts or TileByteCounts:
                        counts = Values(entry);
                        break;
                    case SamplesPerPixel:
                        samples = Values(entry).FirstOrDefault(1);
                        break;
                    case ExtraSamples:
                        extra = true;
                        break;
                    case Compression:
                        jpeg = Values(entry).FirstOrDefault() is 6 or 7;
                        break;
                }
            }
            if (offsets is not null && counts is not null)
            {
                for (int s = 0; s < Math.Min(offsets.Count, counts.Count); s++)
                {
                    if (offsets[s] + counts[s] > _data.Length)
                    {
                        throw ContainerException.EndsEarly(
                            $"strip or tile {s + 1} of {offsets.Count} of its first page ends at byte {offsets[s] + counts[s]}, beyond the end of the file");
                    }
                }
            }
            var facts = new ContainerFacts(ImageFormatKind.Tiff) { CanHaveAlpha = extra || samples is 2 or 4, Lossy = jpeg };
            return (Offset(linkAt), linkAt, facts);
        }

        // The directory at `at`: its entry count and where its link to the next one is.
        private (long Count, int LinkAt) Directory(long at)
        {
            Require(at, CountSize, "a page directory");
            long count = _big ? (long)Math.Min(U64((int)at), (ulong)_data.Length) : U16((int)at);
            long linkAt = at + CountSize + count * EntrySize;
            Require(at, CountSize + count * EntrySize + OffsetSize, "a page directory");
            return (count, (int)linkAt);
        }

        private long Offset(int at) => _big ? (long)Math.Min(U64(at), long.MaxValue) : U32(at);

        // The values of an integer entry (SHORT, LONG, LONG8), inline or at their offset.
        private List<long> Values(int entry)
        {
            ushort type = U16(entry + 2);
            long count = _big ? (long)Math.Min(U64(entry + 4), int.MaxValue) : U32(entry + 4);
            int size = type switch { 3 => 2, 4 => 4, 16 => 8, _ => 0 };
            if (size == 0 || count == 0)
            {
                return [];
            }
            int valueAt = entry + (_big ? 12 : 8);
            long bytes = count * size;
            long at = bytes <= OffsetSize ? valueAt : Offset(valueAt);
            Require(at, bytes, "the values of a directory entry");
            var values = new List<long>((int)Math.Min(count, 1 << 16));
            for (long i = 0; i < count; i++)
            {
                int p = (int)(at + i * size);
                values.Add(size switch { 2 => U16(p), 4 => U32(p), _ => (long)Math.Min(U64(p), long.MaxValue) });
            }
            return values;
        }

        private void Require(long at, long length, string what)
        {
            if (at < 0 || length < 0 || at + length > _data.Length)
            {
                throw ContainerException.EndsEarly($"{what} at byte {at} lies beyond the end of the file");
            }
        }

        private ushort U16(int at) => _little ? BinaryPrimitives.ReadUInt16LittleEndian(_data[at..]) : BinaryPrimitives.ReadUInt16BigEndian(_data[at..]);

        private uint U32(int at) => _little ? BinaryPrimitives.ReadUInt32LittleEndian(_data[at..]) : BinaryPrimitives.ReadUInt32BigEndian(_data[at..]);

        private ulong U64(int at) => _little ? BinaryPrimitives.ReadUInt64LittleEndian(_data[at..]) : BinaryPrimitives.ReadUInt64BigEndian(_data[at..]);
    }
}
