// Reads one image file for the folder dataset as interleaved float samples in [0, 1], through the runtime's one
// admission step (ImageAdmission, as the CLI and the service read images: PNG, JPEG, BMP, GIF, TGA, WebP, TIFF,
// PBM/PGM/PPM by signature; structure and header checked before decoding; the first frame only, under a memory budget;
// the EXIF orientation applied; 16-bit samples keep their precision). The file is read once, bounded
// (ImageFile.ReadBytes). When a size is given the image is scaled to it by ImageSharp: box (area averaging) when it
// shrinks both axes, bilinear otherwise. A file the reader rejects, or cannot read, becomes a DatasetException naming
// the file; a file of several frames carries a note.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Trainer.Data;

/// <summary>(Height, Width, Channels) interleaved samples in [0, 1]; Channels 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
/// Note says when the file held several frames or pages (only the first was read).</summary>
public sealed record DecodedImage(int Height, int Width, int Channels, float[] Samples, string? Note = null);

public static class ImageSource
{
    /// <summary>The file extensions a folder dataset picks up (lower case, with dot).</summary>
    public static IReadOnlyList<string> Extensions => ImageFile.Extensions;

    /// <summary>The (height, width) the file's header claims, without decoding its pixels.</summary>
    public static (int Height, int Width) Identify(string path) => Guard(path, () =>
    {
        var header = ImageAdmission.Identify(ImageFile.ReadBytes(path), path);
        return (header.Height, header.Width);
    });

    public static DecodedImage Read(string path, (int Height, int Width)? size = null)
    {
        var (image, note) = Guard(path, () =>
        {
            // The file is read once; the resampler depends on the source size, so its header is identified from those
            // bytes first (and the admission checks it again before decoding a single pixel).
            byte[] bytes = ImageFile.ReadBytes(path);
            var header = ImageAdmission.Identify(bytes, path);
            if (size is not (int height, int width))
            {
                return (ImageAdmission.Decode(bytes, path), header.Note);
            }
            bool shrinks = height <= header.Height && width <= header.Width;
            var options = new ImageReadOptions { Resize = (height, width), Resampler = shrinks ? "box" : "bilinear" };
            return (ImageAdmission.Decode(bytes, path, options), header.Note);
        });
        float[] samples = new float[image.Width * image.Height * image.Channels];
        if (image.BitDepth == 8)
        {
            byte[] pixels = image.Pixels;
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = pixels[i] / 255f;
            }
        }
        else
        {
            ushort[] pixels = image.Pixels16;
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = pixels[i] / 65535f;
            }
        }
        return new DecodedImage(image.Height, image.Width, image.Channels, samples, note);
    }

    private static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidImageException e)
        {
            // The reader's message already starts with the path.
            throw new DatasetException($"{e.Message} (not a usable image: remove the file from the folder or replace it)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"{path}: cannot read the file ({e.Message}).", e);
        }
    }
}
