// Words for what is wrong with a file that is not a readable image, so that a message says what is wrong with the file
// rather than quoting a decoder: an empty file is "empty"; a file whose structure ends early (ContainerScan) or that a
// decoder found ending early is "truncated"; a checksum or zlib failure is "corrupt image data" (ImageSharp said "Bad
// method for ZLIB header: cmf=127"). A reason of ImageSharp's own (InvalidImageContentException, ImageFormatException,
// NotSupportedException) is quoted, capped; .NET's generic texts ("Object reference not set to an instance of an
// object", "Attempted to divide by zero", "Specified argument was out of the range") say nothing about the file and
// are never quoted. It only words failures; ImageAdmission decides what is a failure of the file.
using SixLabors.ImageSharp;
using VaeOnnx.Runtime.Core.Imaging.Containers;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Core.Imaging;

internal static class DecoderFaults
{
    /// <summary>The formats read, as messages list them.</summary>
    public const string Formats = "PNG, JPEG, BMP, GIF, WebP, TIFF, PBM/PGM/PPM; TGA when named *.tga or sent as image/x-tga";

    private static readonly string[] TruncationHints =
    [
        "does not contain a header chunk", "does not contain a data chunk", "end of stream", "unexpected end", "not enough data", "premature end",
    ];

    private static readonly string[] CorruptionHints =
    [
        "crc", "zlib", "deflate", "compression method", "checksum", "adler", "huffman", "invalid block", "bad method", "corrupt",
    ];

    // .NET's own texts, which ImageSharp sometimes passes on as its reason ("Input string was not in a correct format").
    private static readonly string[] GenericTexts =
    [
        "Object reference", "Input string", "Index was outside", "divide by zero", "out of the range", "Arithmetic operation", "Value cannot be null",
        "Unable to cast", "Specified method", "Sequence contains", "Destination is too short", "Offset and length", "Nullable object",
    ];

    /// <summary>"NAME is empty ..." for a file of no bytes.</summary>
    public static string Empty(string name) => $"{name} is empty (0 bytes); give an image file ({Formats}).";

    /// <summary>"NAME: not an image in a format read here ..." for bytes no signature matches.</summary>
    public static string UnknownFormat(string name) => $"{name}: not an image in a format read here ({Formats}).";

    /// <summary>The one-line description of a structure ContainerScan found broken in a <paramref name="length"/>-byte file.</summary>
    public static string Container(ContainerException e, string name, long length) => e.Truncated
        ? $"{name}: the file is truncated: {e.Detail}, but it ends after {length} bytes; copy or download it again."
        : $"{name}: the file is corrupt: {e.Detail}; copy or download it again.";

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
        if ((e is InvalidImageContentException or ImageFormatException or NotSupportedException) && !Matches(reason, GenericTexts))
        {
            return $"{name}: the image data is corrupt or uses a feature not read here ({UserText.Echo(reason.Trim().TrimEnd('.'))}).";
        }
        return $"{name}: the image data is corrupt (the decoder could not make sense of it); copy or download the file again.";
    }

    private static bool Matches(string reason, string[] hints) => hints.Any(h => reason.Contains(h, StringComparison.OrdinalIgnoreCase));
}
