// Reads one PNG file for the folder dataset as interleaved float samples in [0, 1], through the runtime's PNG codec
// (every colour type and bit depth; 16-bit samples keep their precision). A file the codec rejects, or cannot read,
// becomes a DatasetException naming the file.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Trainer.Data;

/// <summary>(Height, Width, Channels) interleaved samples in [0, 1]; Channels 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.</summary>
public sealed record DecodedImage(int Height, int Width, int Channels, float[] Samples);

public static class PngSource
{
    public static DecodedImage Read(string path)
    {
        PixelImage image;
        try
        {
            image = Png.Read(path);
        }
        catch (PngFormatException e)
        {
            // The codec's message already starts with the path.
            throw new DatasetException($"{e.Message} (not a usable PNG: remove the file from the folder or replace it)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException($"{path}: cannot read the file ({e.Message}).", e);
        }
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
}
