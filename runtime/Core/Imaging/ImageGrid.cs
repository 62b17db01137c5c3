// Tiles a batch of images into one picture: a grid with a fixed number of columns, padding, optional integer
// upscaling, optional text under each tile, beside each row and above the grid (built-in bitmap font).
// The result is grey when every tile is grey and there is no text in colour, RGB otherwise (grey tiles are
// repeated into RGB, which loses nothing). It does not resize by non-integer factors or normalise values.
namespace VaeOnnx.Runtime.Core.Imaging;

/// <summary>How <see cref="ImageGrid"/> lays tiles out: columns, padding, integer scale, labels, title and colours.</summary>
public sealed record ImageGridOptions
{
    /// <summary>Tiles per row; fewer when there are fewer tiles.</summary>
    public int Columns { get; init; } = 8;

    /// <summary>Background pixels around and between tiles.</summary>
    public int Padding { get; init; } = 2;

    /// <summary>Integer upscale of every tile (nearest neighbour), e.g. 4 for 28x28 digits.</summary>
    public int Scale { get; init; } = 1;

    /// <summary>Text under each tile (index-aligned with the tiles; null or empty entries leave no text).</summary>
    public IReadOnlyList<string?>? TileLabels { get; init; }

    /// <summary>Text to the left of each row of tiles.</summary>
    public IReadOnlyList<string?>? RowLabels { get; init; }

    /// <summary>Text above the grid; null for none.</summary>
    public string? Title { get; init; }

    /// <summary>Pixel size of one font pixel.</summary>
    public int TextScale { get; init; } = 1;

    /// <summary>The colour around and between tiles.</summary>
    public Rgb Background { get; init; } = Rgb.White;

    /// <summary>The colour of labels and title.</summary>
    public Rgb TextColor { get; init; } = Rgb.Black;
}

/// <summary>Tiles a batch of images into one picture: a grid with optional labels and title in the built-in font.</summary>
public static class ImageGrid
{
    /// <summary>A grid of <paramref name="count"/> tiles from (N, C, H, W) floats in [0, 1] (clamped; NaN shows as 0).</summary>
    public static PixelImage FromPlanarBatch(ReadOnlySpan<float> nchw, int count, int channels, int height, int width, ImageGridOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        long tileSize = (long)channels * height * width;
        if (tileSize <= 0 || nchw.Length != count * tileSize)
        {
            throw new ArgumentException(
                $"Batch data has {nchw.Length} values; {count}x{channels}x{height}x{width} needs {count * tileSize}.", nameof(nchw));
        }
        var tiles = new PixelImage[count];
        for (int n = 0; n < count; n++)
        {
            tiles[n] = ImageConversion.FromPlanar(nchw.Slice((int)(n * tileSize), (int)tileSize), channels, height, width);
        }
        return FromImages(tiles, options);
    }

    /// <summary>A grid of <paramref name="tiles"/>; every cell is as large as the largest tile.</summary>
    public static PixelImage FromImages(IReadOnlyList<PixelImage> tiles, ImageGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        if (tiles.Count == 0)
        {
            throw new ArgumentException("The grid needs at least one tile.", nameof(tiles));
        }
        options ??= new ImageGridOptions();
        Validate(options, tiles.Count);
        GridLayout layout = GridLayout.For(tiles, options);
        var canvas = new Canvas(layout.Width, layout.Height, options.Background);
        int textScale = options.TextScale;
        if (!string.IsNullOrEmpty(options.Title))
        {
            int titleWidth = BitmapFont.Measure(options.Title, textScale).Width;
            canvas.DrawText((layout.Width - titleWidth) / 2, options.Padding, options.Title, options.TextColor, textScale);
        }
        for (int i = 0; i < tiles.Count; i++)
        {
            (int x, int y) = layout.TileOrigin(i);
            PixelImage tile = tiles[i];
            int left = x + (layout.TileWidth - tile.Width * options.Scale) / 2;
            canvas.DrawImage(tile, left, y, options.Scale);
            string? label = options.TileLabels is { } labels && i < labels.Count ? labels[i] : null;
            if (!string.IsNullOrEmpty(label))
            {
                string fitted = Fit(label, layout.TileWidth + options.Padding, textScale);
                int labelWidth = BitmapFont.Measure(fitted, textScale).Width;
                canvas.DrawText(x + (layout.TileWidth - labelWidth) / 2, y + layout.TileHeight + textScale, fitted, options.TextColor, textScale);
            }
        }
        if (options.RowLabels is { } rowLabels)
        {
            for (int row = 0; row < Math.Min(rowLabels.Count, layout.Rows); row++)
            {
                string? label = rowLabels[row];
                if (string.IsNullOrEmpty(label))
                {
                    continue;
                }
                (int x, int y) = layout.TileOrigin(row * layout.Columns);
                (int w, int h) = BitmapFont.Measure(label, textScale);
                canvas.DrawText(x - options.Padding - w, y + (layout.TileHeight - h) / 2, label, options.TextColor, textScale);
            }
        }
        bool grey = options.Background.IsGrey && options.TextColor.IsGrey && tiles.All(t => t.Channels == 1);
        return grey ? canvas.ToGreyImage() : canvas.ToImage();
    }

    /// <summary>Cuts <paramref name="text"/> so it fits in <paramref name="width"/> pixels.</summary>
    private static string Fit(string text, int width, int scale)
    {
        int characters = Math.Max(1, (width + scale) / (BitmapFont.Advance * scale));
        return text.Length <= characters ? text : text[..characters];
    }

    private static void Validate(ImageGridOptions options, int count)
    {
        if (options.Columns < 1 || options.Padding < 0 || options.Scale < 1 || options.TextScale < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options),
                $"Grid options Columns={options.Columns}, Padding={options.Padding}, Scale={options.Scale}, TextScale={options.TextScale}: columns, scale and text scale must be at least 1, padding at least 0.");
        }
        if (options.TileLabels is { } labels && labels.Count > count)
        {
            throw new ArgumentException($"{labels.Count} tile labels for {count} tiles; give at most one label per tile.", nameof(options));
        }
    }

    /// <summary>Where everything goes: a title band, a row-label band on the left, then cells of tile + label.</summary>
    private sealed record GridLayout(int Columns, int Rows, int TileWidth, int TileHeight, int CellWidth, int CellHeight, int Left, int Top, int Width, int Height)
    {
        public static GridLayout For(IReadOnlyList<PixelImage> tiles, ImageGridOptions options)
        {
            int columns = Math.Min(options.Columns, tiles.Count);
            int rows = (tiles.Count + columns - 1) / columns;
            int tileWidth = tiles.Max(t => t.Width) * options.Scale;
            int tileHeight = tiles.Max(t => t.Height) * options.Scale;
            int textScale = options.TextScale;
            int textHeight = BitmapFont.GlyphHeight * textScale;
            bool hasTileLabels = options.TileLabels?.Any(l => !string.IsNullOrEmpty(l)) == true;
            int labelBand = hasTileLabels ? textHeight + 2 * textScale : 0;
            int rowLabelWidth = options.RowLabels?.Where(l => !string.IsNullOrEmpty(l)).Select(l => BitmapFont.Measure(l!, textScale).Width).DefaultIfEmpty(0).Max() ?? 0;
            int left = options.Padding + (rowLabelWidth > 0 ? rowLabelWidth + options.Padding + textScale : 0);
            int top = options.Padding + (string.IsNullOrEmpty(options.Title) ? 0 : BitmapFont.Measure(options.Title, textScale).Height + options.Padding + 2 * textScale);
            int cellWidth = tileWidth + options.Padding;
            int cellHeight = tileHeight + labelBand + options.Padding;
            long width = left + (long)columns * cellWidth;
            long height = top + (long)rows * cellHeight;
            if (!string.IsNullOrEmpty(options.Title))
            {
                width = Math.Max(width, BitmapFont.Measure(options.Title, textScale).Width + 2L * options.Padding);
            }
            if (width > PixelImage.MaxDimension || height > PixelImage.MaxDimension || width * height > PixelImage.MaxPixels)
            {
                throw new ArgumentException(
                    $"The grid would be {height}×{width} (H×W) pixels, over the {PixelImage.MaxDimension} limit; use fewer tiles, more columns or a smaller scale.", nameof(tiles));
            }
            return new GridLayout(columns, rows, tileWidth, tileHeight, cellWidth, cellHeight, left, top, (int)width, (int)height);
        }

        public (int X, int Y) TileOrigin(int index) => (Left + index % Columns * CellWidth, Top + index / Columns * CellHeight);
    }
}
