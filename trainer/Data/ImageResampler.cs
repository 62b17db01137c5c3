// Resizes one planar channel to a target size, each axis on its own (separable):
//   shrinking an axis: area averaging (each output pixel is the mean of the source span it covers, fractional
//                      edges weighted by their coverage), which is what PIL's BOX and OpenCV's INTER_AREA do;
//   growing an axis:   bilinear interpolation with half-pixel centres (PyTorch align_corners=False), edges clamped;
//   same size:         a copy.
// It does not sharpen, antialias beyond the box, or keep the aspect ratio: the caller picks the target size.
namespace VaeOnnx.Trainer.Data;

public static class ImageResampler
{
    /// <summary>Resizes (sourceHeight, sourceWidth) to (height, width); both planes row-major.</summary>
    public static void Resize(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth, Span<float> destination, int height, int width)
    {
        if (source.Length != sourceHeight * sourceWidth || destination.Length != height * width)
        {
            throw new ArgumentException(
                $"Plane sizes do not match: source {source.Length} values for {sourceHeight} x {sourceWidth}, destination {destination.Length} for {height} x {width}.");
        }
        Tap[][] horizontal = Weights(sourceWidth, width);
        Tap[][] vertical = Weights(sourceHeight, height);
        // Rows first: (sourceHeight, sourceWidth) -> (sourceHeight, width), then columns.
        float[] rows = new float[sourceHeight * width];
        for (int y = 0; y < sourceHeight; y++)
        {
            ReadOnlySpan<float> line = source.Slice(y * sourceWidth, sourceWidth);
            for (int x = 0; x < width; x++)
            {
                rows[y * width + x] = Apply(horizontal[x], line, stride: 1);
            }
        }
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                destination[y * width + x] = Apply(vertical[y], rows.AsSpan(x), stride: width);
            }
        }
    }

    private readonly record struct Tap(int Index, float Weight);

    private static float Apply(Tap[] taps, ReadOnlySpan<float> values, int stride)
    {
        double sum = 0;
        foreach (Tap tap in taps)
        {
            sum += tap.Weight * values[tap.Index * stride];
        }
        return (float)sum;
    }

    private static Tap[][] Weights(int sourceSize, int size)
    {
        var taps = new Tap[size][];
        double scale = (double)sourceSize / size;
        for (int i = 0; i < size; i++)
        {
            if (sourceSize == size)
            {
                taps[i] = [new Tap(i, 1f)];
            }
            else if (sourceSize > size)
            {
                double start = i * scale, end = (i + 1) * scale;
                var list = new List<Tap>();
                for (int s = (int)Math.Floor(start); s < Math.Min(sourceSize, (int)Math.Ceiling(end)); s++)
                {
                    double overlap = Math.Min(end, s + 1) - Math.Max(start, s);
                    if (overlap > 0)
                    {
                        list.Add(new Tap(s, (float)(overlap / scale)));
                    }
                }
                taps[i] = list.ToArray();
            }
            else
            {
                double position = Math.Clamp((i + 0.5) * scale - 0.5, 0, sourceSize - 1);
                int left = (int)Math.Floor(position);
                int right = Math.Min(left + 1, sourceSize - 1);
                float t = (float)(position - left);
                taps[i] = right == left ? [new Tap(left, 1f)] : [new Tap(left, 1f - t), new Tap(right, t)];
            }
        }
        return taps;
    }
}
