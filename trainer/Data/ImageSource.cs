// Reads one image file for the folder dataset as interleaved float samples in [0, 1], through the runtime's image
// reader (ImageFile: PNG, JPEG, BMP, GIF, TGA, WebP, TIFF, PBM; 16-bit samples keep their precision; the header is
// checked against the pixel bound before decoding). The file is read once. When a size is given the image is scaled to
// it by ImageSharp: box (area averaging) when it shrinks both axes, bilinear otherwise. A file the reader rejects, or
// cannot read, becomes a DatasetException naming the file.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Trainer.Data;

/// <summary>(Height, Width, Channels) interleaved samples in [0, 1]; Channels 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.</summary>
public sealed record DecodedImage(int Height, int Width, int Channels, float[] Samples);

public static class ImageSource
{
    /// <summary>The file extensions a folder dataset picks up (lower case, with dot).</summary>
    public static IReadOnlyList<string> Extensions => ImageFile.Extensions;

    /// <summary>The (height, width) the file's header claims, without decoding its pixels.</summary>
    public static (int Height, int Width) Identify(string path) => Guard(path, () => ImageFile.Identify(ImageFile.ReadBytes(path), path));

    public static DecodedImage Read(string path, (int Height, int Width)? size = null)
    {
        var image = Guard(path, () =>
        {
            // The file is read once; the resampler depends on the source size, so its header is identified from those
            // bytes, and Decode checks the header against the pixel bound again before decoding a single pixel.
            byte[] bytes = ImageFile.ReadBytes(path);
            if (size is not (int height, int width))
            {
                return ImageFile.Decode(bytes, name: path);
            }
            var (sourceHeight, sourceWidth) = ImageFile.Identify(bytes, path);
            bool shrinks = height <= sourceHeight && width <= sourceWidth;
            return ImageFile.Decode(bytes, new ImageReadOptions { Resize = (height, width), Resampler = shrinks ? "box" : "bilinear" }, path);
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
        return new DecodedImage(image.Height, image.Width, image.Channels, samples);
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
