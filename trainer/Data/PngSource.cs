// Reads one PNG file for the folder dataset as interleaved float samples in [0, 1], through the runtime's PNG codec.
// A file the codec rejects becomes a DatasetException naming the file.
namespace VaeOnnx.Trainer.Data;

/// <summary>(Height, Width, Channels) interleaved samples in [0, 1]; Channels 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.</summary>
public sealed record DecodedImage(int Height, int Width, int Channels, float[] Samples);

public static class PngSource
{
    public static DecodedImage Read(string path)
    {
        throw new DatasetException($"{path}: reading PNG folders needs the runtime's PNG codec, which this build does not have yet.");
    }
}
