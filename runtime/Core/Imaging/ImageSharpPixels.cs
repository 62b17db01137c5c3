// Between ImageSharp's 16-bit RGBA images and PixelImage, keeping exactly what the pixels need: grey if R = G = B
// everywhere (within a tolerance the caller gives for lossy files), alpha if any pixel is not opaque, 16 bits if any
// sample is not an exact 8-bit value (v × 257). Rows are read twice (once to decide, once to copy) rather than copied
// out whole, so the conversion allocates only the result.
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace VaeOnnx.Runtime.Core.Imaging;

internal static class ImageSharpPixels
{
    /// <summary>The pixels of <paramref name="image"/>; grey when every |R − G| and |G − B| is at most <paramref name="greyTolerance"/> (16-bit units; a lossy file's grey is then their mean).</summary>
    public static PixelImage From(Image<Rgba64> image, int greyTolerance)
    {
        int width = image.Width, height = image.Height;
        bool grey = true, alpha = false, wide = false;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    grey &= Math.Abs(p.R - p.G) <= greyTolerance && Math.Abs(p.G - p.B) <= greyTolerance;
                    alpha |= p.A != ushort.MaxValue;
                    wide |= p.R % 257 != 0 || p.G % 257 != 0 || p.B % 257 != 0 || p.A % 257 != 0;
                }
            }
        });
        int channels = (grey ? 1 : 3) + (alpha ? 1 : 0);
        var values = new ushort[width * height * channels];
        bool exact = greyTolerance == 0;
        image.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    var p = row[x];
                    int o = (y * width + x) * channels;
                    if (grey)
                    {
                        values[o] = exact ? p.R : (ushort)((p.R + p.G + p.B + 1) / 3);
                    }
                    else
                    {
                        values[o] = p.R;
                        values[o + 1] = p.G;
                        values[o + 2] = p.B;
                    }
                    if (alpha)
                    {
                        values[o + channels - 1] = p.A;
                    }
                }
            }
        });
        if (wide)
        {
            return new PixelImage(width, height, channels, values);
        }
        var bytes = new byte[values.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((values[i] + 128) / 257);
        }
        return new PixelImage(width, height, channels, bytes);
    }

    /// <summary>A 16-bit RGBA ImageSharp image of <paramref name="image"/> (8-bit samples scaled by 257).</summary>
    public static Image<Rgba64> To(PixelImage image)
    {
        var result = new Image<Rgba64>(image.Width, image.Height);
        int channels = image.Channels;
        int scale = image.BitDepth == 8 ? 257 : 1;
        result.ProcessPixelRows(rows =>
        {
            for (int y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    ushort Sample(int c) => (ushort)(image.GetSample(x, y, c) * scale);
                    row[x] = channels switch
                    {
                        1 => new Rgba64(Sample(0), Sample(0), Sample(0), ushort.MaxValue),
                        2 => new Rgba64(Sample(0), Sample(0), Sample(0), Sample(1)),
                        3 => new Rgba64(Sample(0), Sample(1), Sample(2), ushort.MaxValue),
                        _ => new Rgba64(Sample(0), Sample(1), Sample(2), Sample(3)),
                    };
                }
            }
        });
        return result;
    }
}
