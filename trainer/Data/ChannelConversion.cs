// Turns an interleaved image of 1-4 channels (grey, grey+alpha, RGB, RGBA) into planar 1- or 3-channel data.
// Rules, documented in trainer/README.md:
//   alpha is dropped (as PIL's convert does), never composited;
//   to 1 channel: grey stays, RGB becomes luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, PIL's "L");
//   to 3 channels: RGB stays, grey is copied into R, G and B.
// It does no colour management (gamma, ICC profiles) and no other channel counts.
namespace VaeOnnx.Trainer.Data;

public static class ChannelConversion
{
    /// <summary>interleaved (H, W, sourceChannels) -> planar (channels, H, W).</summary>
    public static float[] ToPlanar(ReadOnlySpan<float> interleaved, int height, int width, int sourceChannels, int channels)
    {
        if (sourceChannels is < 1 or > 4)
        {
            throw new ArgumentOutOfRangeException(nameof(sourceChannels), sourceChannels, "Images have 1 to 4 channels (grey, grey+alpha, RGB, RGBA).");
        }
        if (channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Training images have 1 (grey) or 3 (RGB) channels.");
        }
        int pixels = height * width;
        if (interleaved.Length != pixels * sourceChannels)
        {
            throw new ArgumentException($"{interleaved.Length} samples do not make {height} x {width} pixels of {sourceChannels} channels.", nameof(interleaved));
        }
        bool sourceIsColour = sourceChannels >= 3;
        float[] planar = new float[channels * pixels];
        for (int p = 0; p < pixels; p++)
        {
            ReadOnlySpan<float> px = interleaved.Slice(p * sourceChannels, sourceChannels);
            if (channels == 1)
            {
                planar[p] = sourceIsColour ? 0.299f * px[0] + 0.587f * px[1] + 0.114f * px[2] : px[0];
            }
            else
            {
                for (int c = 0; c < 3; c++)
                {
                    planar[c * pixels + p] = sourceIsColour ? px[c] : px[0];
                }
            }
        }
        return planar;
    }
}
