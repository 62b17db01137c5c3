// JPEG (ITU T.81, Annex B): markers from SOI to EOI; segments carry a 2-byte length; after each SOS the entropy-coded
// data runs to the next marker that is neither a stuffed 0xFF00 nor a restart marker. A file must reach EOI: a JPEG
// cut short decodes "successfully" with the rest of the picture missing. JPEG never carries alpha and is lossy (the
// lossless SOF3/7/11/15 processes aside).
using System.Buffers.Binary;

namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class JpegContainer
{
    public static bool Matches(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    public static ContainerFacts Scan(ReadOnlySpan<byte> data)
    {
        int position = 2;
        bool lossy = true;
        while (true)
        {
            if (position >= data.Length)
            {
                throw ContainerException.EndsEarly("it ends before the end-of-image marker that closes a JPEG");
            }
            if (data[position] != 0xFF)
            {
                throw ContainerException.Corrupt($"a marker was expected at byte {position}");
            }
            while (position < data.Length && data[position] == 0xFF)
            {
                position++; // fill bytes
            }
            if (position >= data.Length)
            {
                throw ContainerException.EndsEarly("it ends before the end-of-image marker that closes a JPEG");
            }
            byte marker = data[position++];
            if (marker == 0xD9)
            {
                return new ContainerFacts(ImageFormatKind.Jpeg) { CanHaveAlpha = false, Lossy = lossy };
            }
            if (marker is 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7))
            {
                continue; // markers without a length
            }
            if (marker == 0x00)
            {
                throw ContainerException.Corrupt($"byte {position - 1} is a stuffed zero outside the compressed data");
            }
            if (position + 2 > data.Length)
            {
                throw ContainerException.EndsEarly("it ends inside a segment header");
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
            if (length < 2)
            {
                throw ContainerException.Corrupt($"the segment at byte {position - 2} claims {length} bytes");
            }
            if (position + length > data.Length)
            {
                throw ContainerException.EndsEarly(marker == 0xDA ? "it ends inside a scan header" : "it ends inside a segment");
            }
            if (marker is 0xC3 or 0xC7 or 0xCB or 0xCF)
            {
                lossy = false;
            }
            position += length;
            if (marker == 0xDA)
            {
                position = SkipEntropyCodedData(data, position);
            }
        }
    }

    // The compressed data of a scan ends at the first 0xFF followed by a byte that is not 0x00 (stuffing), 0xFF (fill)
    // or a restart marker 0xD0-0xD7.
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> data, int position)
    {
        while (true)
        {
            int next = data[position..].IndexOf((byte)0xFF);
            if (next < 0 || position + next + 1 >= data.Length)
            {
                throw ContainerException.EndsEarly("its compressed image data ends early, before the end-of-image marker");
            }
            position += next;
            byte following = data[position + 1];
            if (following is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7)))
            {
                return position;
            }
            position += following == 0xFF ? 1 : 2;
        }
    }
}
