// Words for what ImageSharp's decoders throw on a broken file, so that a message says what is wrong with the file
// rather than quoting the decoder: an empty file is "empty", a file that ends before its header or data is complete
// is "truncated" (ImageSharp says "does not contain a header chunk" of a PNG cut after its signature), a checksum or
// zlib failure is "corrupt image data" (it said "Bad method for ZLIB header: cmf=127", earlier versions
// "unsupported compression method"). Anything not recognised keeps the decoder's own reason, capped.
// It only words failures; ImageFile decides what is a failure of the file.
using SixLabors.ImageSharp;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Core.Imaging;

internal static class DecoderFaults
{
    private static readonly string[] TruncationHints =
    [
        "does not contain a header chunk", "does not contain a data chunk", "end of stream", "unexpected end", "not enough data", "premature end",
    ];

    private static readonly string[] CorruptionHints =
    [
        "crc", "zlib", "deflate", "compression method", "checksum", "adler", "huffman", "invalid block", "bad method", "corrupt",
    ];

    /// <summary>"NAME is empty ..." for a file of no bytes.</summary>
    public static string Empty(string name) => $"{name} is empty (0 bytes); give an image file (PNG, JPEG, BMP, GIF, WebP, TIFF, PBM; TGA when named *.tga).";

    /// <summary>The one-line description of <paramref name="e"/>, thrown while reading a <paramref name="length"/>-byte image named <paramref name="name"/>.</summary>
    public static string Describe(Exception e, string name, long length)
    {
        string reason = e.Message;
        if (e is EndOfStreamException || Matches(reason, TruncationHints))
        {
            return $"{name}: the file is truncated (it ends after {length} bytes, before the image is complete); copy or download it again.";
        }
        if (e is System.IO.InvalidDataException || Matches(reason, CorruptionHints))
        {
            return $"{name}: the image data is corrupt (the compressed pixel data or a checksum is damaged); copy or download the file again.";
        }
        string kind = e is InvalidImageContentException or ImageFormatException ? "the image data is corrupt" : "not a readable image";
        return $"{name}: {kind} ({UserText.Echo(reason.Trim().TrimEnd('.'))}).";
    }

    private static bool Matches(string reason, string[] hints) => hints.Any(h => reason.Contains(h, StringComparison.OrdinalIgnoreCase));
}
