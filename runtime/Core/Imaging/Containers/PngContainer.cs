// PNG (https://www.w3.org/TR/png-3/): the signature, then chunks (length, type, data, CRC) from IHDR to IEND. A file
// must reach IEND with every chunk inside it. Alpha is possible with colour types 4 and 6 or a tRNS chunk; an APNG
// says its frame count in acTL (ImageSharp reads its still image only, which is the first frame).
using System.Buffers.Binary;

namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class PngContainer
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static bool Matches(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    public static ContainerFacts Scan(ReadOnlySpan<byte> data)
    {
        int position = Signature.Length;
        bool alpha = false;
        int frames = 1;
        for (int index = 0; ; index++)
        {
            if (position + 8 > data.Length)
            {
                throw ContainerException.EndsEarly(position == data.Length ? "it ends before the IEND chunk that closes a PNG" : "it ends inside a chunk header");
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            ReadOnlySpan<byte> type = data.Slice(position + 4, 4);
            if (length > int.MaxValue)
            {
                throw ContainerException.Corrupt($"{ContainerScan.Name(type)} chunk claims {length} bytes");
            }
            long end = position + 12L + length;
            if (end > data.Length)
            {
                throw ContainerException.EndsEarly($"it ends inside {ContainerScan.Name(type)} chunk");
            }
            ReadOnlySpan<byte> body = data.Slice(position + 8, (int)length);
            if (index == 0)
            {
                if (!type.SequenceEqual("IHDR"u8) || length < 13)
                {
                    throw ContainerException.Corrupt("its first chunk is not the IHDR header");
                }
                alpha = body[9] is 4 or 6;
            }
            else if (type.SequenceEqual("tRNS"u8))
            {
                alpha = true;
            }
            else if (type.SequenceEqual("acTL"u8) && length >= 8)
            {
                frames = (int)Math.Clamp(BinaryPrimitives.ReadUInt32BigEndian(body), 1u, int.MaxValue);
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                return new ContainerFacts(ImageFormatKind.Png) { CanHaveAlpha = alpha, Frames = frames };
            }
            position = (int)end;
        }
    }
}
