// A tiny generated image set for tests and demos: discs, squares and bars (labels 0, 1, 2) of random size,
// position and (for colour images) colour, on a black background, drawn from a seed.
// It is not meant to be realistic; it gives small labelled images of any size and channel count without files.
using VaeOnnx.Trainer.Engine;

namespace VaeOnnx.Trainer.Data;

public static class SyntheticShapes
{
    public static IReadOnlyList<string> LabelNames { get; } = ["disc", "square", "bar"];

    public static ImageDataset Generate(int count, int channels, int height, int width, ulong seed, string name = "shapes")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (height < 4 || width < 4)
        {
            throw new ArgumentOutOfRangeException(nameof(height), $"Shapes need images of at least 4 x 4 pixels; got {height} x {width}.");
        }
        var random = new RandomSource(seed);
        int plane = height * width;
        float[] pixels = new float[count * channels * plane];
        int[] labels = new int[count];
        Span<float> colour = stackalloc float[channels];
        for (int n = 0; n < count; n++)
        {
            int label = random.NextInt(LabelNames.Count);
            labels[n] = label;
            for (int c = 0; c < channels; c++)
            {
                colour[c] = channels == 1 ? 1f : 0.3f + 0.7f * random.NextFloat();
            }
            int minSide = Math.Min(height, width);
            float size = minSide * (0.25f + 0.2f * random.NextFloat());
            float cy = size + (height - 2 * size) * random.NextFloat();
            float cx = size + (width - 2 * size) * random.NextFloat();
            bool horizontal = random.NextFloat() < 0.5f;
            Span<float> image = pixels.AsSpan(n * channels * plane, channels * plane);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    float dy = y + 0.5f - cy, dx = x + 0.5f - cx;
                    bool inside = label switch
                    {
                        0 => dx * dx + dy * dy <= size * size,
                        1 => MathF.Abs(dx) <= size * 0.8f && MathF.Abs(dy) <= size * 0.8f,
                        _ => horizontal
                            ? MathF.Abs(dy) <= size * 0.25f && MathF.Abs(dx) <= size
                            : MathF.Abs(dx) <= size * 0.25f && MathF.Abs(dy) <= size,
                    };
                    if (inside)
                    {
                        for (int c = 0; c < channels; c++)
                        {
                            image[c * plane + y * width + x] = colour[c];
                        }
                    }
                }
            }
        }
        return new ImageDataset(name, channels, height, width, pixels, labels, LabelNames);
    }
}
