// Recognises an image file by its signature and walks its container (ContainerFacts): PNG chunks, JPEG markers, GIF
// blocks, TIFF directories, WebP RIFF chunks, the BMP, PNM and TGA headers. ImageSharp's decoders fill whatever data
// is missing with zeros and report success, so a file cut short would otherwise decode to a picture with a transparent
// or black remainder; here the structure is checked against the file's length first. TGA has no signature: it is
// scanned only when the caller allows it, and only when no signature matched. It decodes no pixels; ImageAdmission does.
namespace VaeOnnx.Runtime.Core.Imaging.Containers;

internal static class ContainerScan
{
    /// <summary>Facts about <paramref name="data"/>, or null when no signature matches (and TGA is not allowed).
    /// Throws ContainerException for a file whose structure ends early or is broken.</summary>
    public static ContainerFacts? Scan(ReadOnlySpan<byte> data, bool mayBeTga)
    {
        if (PngContainer.Matches(data)) return PngContainer.Scan(data);
        if (JpegContainer.Matches(data)) return JpegContainer.Scan(data);
        if (GifContainer.Matches(data)) return GifContainer.Scan(data);
        if (TiffContainer.Matches(data)) return TiffContainer.Scan(data);
        if (WebpContainer.Matches(data)) return WebpContainer.Scan(data);
        if (BmpContainer.Matches(data)) return BmpContainer.Scan(data);
        if (PbmContainer.Matches(data)) return PbmContainer.Scan(data);
        return mayBeTga ? TgaContainer.Scan(data) : null;
    }

    /// <summary>A chunk or tag name as text when it is printable ASCII, otherwise "an unnamed".</summary>
    public static string Name(ReadOnlySpan<byte> fourCc)
    {
        foreach (byte b in fourCc)
        {
            if (b is < 0x20 or > 0x7E) return "an unnamed";
        }
        return $"its {System.Text.Encoding.ASCII.GetString(fourCc).Trim()}";
    }
}
