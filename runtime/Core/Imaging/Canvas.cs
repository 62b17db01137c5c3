// An 8-bit RGB raster to draw plots and labelled grids on: rectangles, lines, circles, text in the built-in
// bitmap font, and pasted images. Everything clips at the edges, so callers never check bounds.
// It is not a vector renderer: no anti-aliasing, no alpha blending except when pasting an image with alpha.
namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>An 8-bit RGB raster to draw plots and labelled grids on (rectangles, lines, circles, text, pasted images); everything clips at the edges.</summary>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    /// <summary>A canvas of <paramref name="width"/> × <paramref name="height"/> pixels filled with <paramref name="background"/>.</summary>
    /// <param name="width">Width in pixels, 1 to <see cref="PixelImage.MaxDimension"/>.</param>
    /// <param name="height">Height in pixels, 1 to <see cref="PixelImage.MaxDimension"/>.</param>
    /// <param name="background">The colour every pixel starts with.</param>
    /// <exception cref="ArgumentOutOfRangeException">A side is out of range, or the canvas would exceed <see cref="PixelImage.MaxPixels"/>.</exception>
    public Canvas(int width, int height, Rgb background)
    {
        if (width < 1 || height < 1 || width > PixelImage.MaxDimension || height > PixelImage.MaxDimension
            || (long)width * height > PixelImage.MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width),
                $"Canvas size {height}×{width} (H×W) is not supported; height and width must be 1..{PixelImage.MaxDimension}.");
        }
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 3];
        FillRect(0, 0, width, height, background);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The colour at column <paramref name="x"/>, row <paramref name="y"/> (both inside the canvas).</summary>
    public Rgb GetPixel(int x, int y)
    {
        int i = (y * Width + x) * 3;
        return new Rgb(_pixels[i], _pixels[i + 1], _pixels[i + 2]);
    }

    /// <summary>Sets the pixel at column <paramref name="x"/>, row <paramref name="y"/> to <paramref name="color"/>; outside the canvas it does nothing.</summary>
    public void SetPixel(int x, int y, Rgb color)
    {
        if ((uint)x < (uint)Width && (uint)y < (uint)Height)
        {
            int i = (y * Width + x) * 3;
            _pixels[i] = color.R;
            _pixels[i + 1] = color.G;
            _pixels[i + 2] = color.B;
        }
    }

    /// <summary>Fills the rectangle with top-left corner (<paramref name="x"/>, <paramref name="y"/>) and the given size, clipped to the canvas.</summary>
    public void FillRect(int x, int y, int width, int height, Rgb color)
    {
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0);
        int x1 = (int)Math.Min((long)x + width, Width), y1 = (int)Math.Min((long)y + height, Height);
        for (int py = y0; py < y1; py++)
        {
            for (int px = x0; px < x1; px++)
            {
                int i = (py * Width + px) * 3;
                _pixels[i] = color.R;
                _pixels[i + 1] = color.G;
                _pixels[i + 2] = color.B;
            }
        }
    }

    /// <summary>A one-pixel outline of the rectangle.</summary>
    public void DrawRect(int x, int y, int width, int height, Rgb color)
    {
        FillRect(x, y, width, 1, color);
        FillRect(x, y + height - 1, width, 1, color);
        FillRect(x, y, 1, height, color);
        FillRect(x + width - 1, y, 1, height, color);
    }

    /// <summary>Bresenham's line from (x0, y0) to (x1, y1), both ends included; thickness draws a square pen.</summary>
    public void DrawLine(int x0, int y0, int x1, int y1, Rgb color, int thickness = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thickness);
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        int offset = (thickness - 1) / 2;
        while (true)
        {
            if (thickness == 1)
            {
                SetPixel(x0, y0, color);
            }
            else
            {
                FillRect(x0 - offset, y0 - offset, thickness, thickness, color);
            }
            if (x0 == x1 && y0 == y1)
            {
                break;
            }
            int twice = 2 * error;
            if (twice >= dy)
            {
                error += dy;
                x0 += sx;
            }
            if (twice <= dx)
            {
                error += dx;
                y0 += sy;
            }
        }
    }

    /// <summary>The outline of a circle (midpoint algorithm).</summary>
    public void DrawCircle(int cx, int cy, int radius, Rgb color)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        int x = radius, y = 0, error = 1 - radius;
        while (x >= y)
        {
            SetPixel(cx + x, cy + y, color);
            SetPixel(cx + y, cy + x, color);
            SetPixel(cx - y, cy + x, color);
            SetPixel(cx - x, cy + y, color);
            SetPixel(cx - x, cy - y, color);
            SetPixel(cx - y, cy - x, color);
            SetPixel(cx + y, cy - x, color);
            SetPixel(cx + x, cy - y, color);
            y++;
            if (error < 0)
            {
                error += 2 * y + 1;
            }
            else
            {
                x--;
                error += 2 * (y - x) + 1;
            }
        }
    }

    /// <summary>A filled disc: every pixel whose centre lies within <paramref name="radius"/> + 0.5 of the centre.</summary>
    public void FillCircle(int cx, int cy, int radius, Rgb color)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        int limit = radius * radius + radius;
        for (int y = -radius; y <= radius; y++)
        {
            for (int x = -radius; x <= radius; x++)
            {
                if (x * x + y * y <= limit)
                {
                    SetPixel(cx + x, cy + y, color);
                }
            }
        }
    }

    /// <summary>Text in the built-in 5x7 font with its top-left corner at (x, y); each font pixel becomes a
    /// <paramref name="scale"/> x <paramref name="scale"/> block; '\n' starts a new line.</summary>
    public void DrawText(int x, int y, string text, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        int penX = x, penY = y;
        foreach (char c in text)
        {
            if (c == '\n')
            {
                penX = x;
                penY += BitmapFont.LineHeight * scale;
                continue;
            }
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (int column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (BitmapFont.IsSet(c, column, row))
                    {
                        FillRect(penX + column * scale, penY + row * scale, scale, scale, color);
                    }
                }
            }
            penX += BitmapFont.Advance * scale;
        }
    }

    /// <summary>Text turned 90 degrees counter-clockwise (reading bottom to top), its bounding box's top-left at (x, y).</summary>
    public void DrawTextVertical(int x, int y, string text, Rgb color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        int length = BitmapFont.Measure(text, scale).Width;
        for (int i = 0; i < text.Length; i++)
        {
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            {
                for (int column = 0; column < BitmapFont.GlyphWidth; column++)
                {
                    if (BitmapFont.IsSet(text[i], column, row))
                    {
                        int along = (i * BitmapFont.Advance + column) * scale;
                        FillRect(x + row * scale, y + length - along - scale, scale, scale, color);
                    }
                }
            }
        }
    }

    /// <summary>Pastes <paramref name="image"/> with its top-left at (x, y), each pixel as a scale x scale block.
    /// Grey becomes R = G = B; alpha blends over what is there; 16-bit samples are rounded to 8 bits.</summary>
    public void DrawImage(PixelImage image, int x, int y, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale);
        PixelImage source = image.ToBitDepth8();
        byte[] p = source.Pixels;
        int channels = source.Channels;
        for (int sy = 0; sy < source.Height; sy++)
        {
            for (int sx = 0; sx < source.Width; sx++)
            {
                int i = (sy * source.Width + sx) * channels;
                Rgb color = channels >= 3 ? new Rgb(p[i], p[i + 1], p[i + 2]) : Rgb.Grey(p[i]);
                if (!source.HasAlpha)
                {
                    FillRect(x + sx * scale, y + sy * scale, scale, scale, color);
                    continue;
                }
                int alpha = p[i + channels - 1];
                for (int by = 0; by < scale; by++)
                {
                    for (int bx = 0; bx < scale; bx++)
                    {
                        int px = x + sx * scale + bx, py = y + sy * scale + by;
                        if ((uint)px < (uint)Width && (uint)py < (uint)Height)
                        {
                            Rgb under = GetPixel(px, py);
                            SetPixel(px, py, new Rgb(Blend(color.R, under.R, alpha), Blend(color.G, under.G, alpha), Blend(color.B, under.B, alpha)));
                        }
                    }
                }
            }
        }
    }

    /// <summary>A copy of the canvas as an 8-bit RGB image.</summary>
    public PixelImage ToImage() => new(Width, Height, 3, (byte[])_pixels.Clone());

    /// <summary>A copy as an 8-bit grey image; only valid when every pixel is grey (R = G = B).</summary>
    public PixelImage ToGreyImage()
    {
        var grey = new byte[Width * Height];
        for (int i = 0; i < grey.Length; i++)
        {
            if (_pixels[3 * i] != _pixels[3 * i + 1] || _pixels[3 * i + 1] != _pixels[3 * i + 2])
            {
                throw new InvalidOperationException($"Pixel ({i % Width}, {i / Width}) is not grey; use ToImage().");
            }
            grey[i] = _pixels[3 * i];
        }
        return new PixelImage(Width, Height, 1, grey);
    }

    private static byte Blend(byte top, byte under, int alpha) => (byte)((top * alpha + under * (255 - alpha) + 127) / 255);
}
