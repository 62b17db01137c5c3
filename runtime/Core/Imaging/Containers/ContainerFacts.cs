// What the bytes of an image file say about themselves before any decoder sees them: the format (by signature), how
// many frames or pages the file holds, whether its pixels can carry alpha at all, whether it is lossy, and, for a
// file of several frames, the same file cut down to its first frame (so the decoder reads only that one). A file whose
// structure ends early or does not hold together is a ContainerException instead. It reads no pixel data.
namespace VaeOnnx.Runtime.Core.Imaging.Containers;

/// <summary>The formats read; TGA has no signature and is tried only when the caller says the bytes may be TGA.</summary>
internal enum ImageFormatKind
{
    Png,
    Jpeg,
    Gif,
    Bmp,
    Tiff,
    Webp,
    Pbm,
    Tga,
}

internal sealed record ContainerFacts(ImageFormatKind Format)
{
    /// <summary>Frames (GIF, APNG, animated WebP) or pages (TIFF) in the file; 1 for a still image.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>False when no pixel of this file can be transparent (JPEG, PNM, an RGB PNG without tRNS, ...): a decoded
    /// transparent pixel is then one the decoder never wrote, i.e. data that is missing.</summary>
    public bool CanHaveAlpha { get; init; } = true;

    /// <summary>Lossy coding (JPEG, VP8 WebP, JPEG-in-TIFF): grey pictures can come back with R, G, B a level apart.</summary>
    public bool Lossy { get; init; }

    /// <summary>The file reduced to its first frame or page, when it holds more than one; null otherwise.</summary>
    public byte[]? FirstFrameOnly { get; init; }

    /// <summary>"frames" or "pages": what this format calls its parts, for messages.</summary>
    public string FrameWord => Format == ImageFormatKind.Tiff ? "pages" : "frames";

    /// <summary>The format's name as users know it.</summary>
    public string FormatName => Format switch
    {
        ImageFormatKind.Pbm => "PBM/PGM/PPM",
        ImageFormatKind.Webp => "WebP",
        _ => Format.ToString().ToUpperInvariant(),
    };
}

/// <summary>A file whose structure ends early (Truncated) or does not hold together; Detail says where, in words.</summary>
internal sealed class ContainerException(bool truncated, string detail) : Exception(detail)
{
    public bool Truncated { get; } = truncated;

    public string Detail { get; } = detail;

    public static ContainerException EndsEarly(string detail) => new(true, detail);

    public static ContainerException Corrupt(string detail) => new(false, detail);
}
