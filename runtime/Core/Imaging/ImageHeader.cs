// What an image file says about itself before a pixel is decoded: its size as it will be read (after the EXIF
// orientation is applied, so 90° rotations swap height and width), its format, how many frames or pages it holds and
// its EXIF orientation. ImageAdmission.Identify makes it; callers compare the size with a model's and show Note.
namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>An image file's header: the size it decodes to (H×W, EXIF orientation applied), format, frames, orientation.</summary>
/// <param name="Height">Rows of the decoded image (after the EXIF orientation is applied).</param>
/// <param name="Width">Columns of the decoded image (after the EXIF orientation is applied).</param>
public sealed record ImageHeader(int Height, int Width)
{
    /// <summary>The format as users name it: "PNG", "JPEG", "GIF", "BMP", "TIFF", "WebP", "PBM/PGM/PPM" or "TGA".</summary>
    public required string Format { get; init; }

    /// <summary>Frames (GIF, APNG, animated WebP) or pages (TIFF) the file holds; only the first is ever decoded.</summary>
    public int Frames { get; init; } = 1;

    /// <summary>The EXIF orientation (1-8; 1 when the file has none), applied once when the image is decoded.</summary>
    public int Orientation { get; init; } = 1;

    /// <summary>"NAME holds 200 frames; only the first is read." when the file holds more than one; otherwise null.</summary>
    public string? Note { get; init; }
}

/// <summary>An image admitted for a model: its pixels (first frame, EXIF orientation applied) and its header.</summary>
/// <param name="Image">The decoded pixels.</param>
/// <param name="Header">What the file's header said; <see cref="ImageHeader.Note"/> is worth showing the user.</param>
public sealed record AdmittedImage(PixelImage Image, ImageHeader Header);
