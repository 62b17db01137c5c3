// The options of commands that write an image grid: --columns (unless the command fixes the layout), --scale
// (integer upscale of each tile) and --padding (background pixels around and between tiles). A single image is
// written bare by default (its own size, no border), so `sample --count 1` gives a 28x28 digit, not a framed tile.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class GridOptions(bool withColumns = true)
{
    public Option<int?> Columns { get; } = new("--columns") { Description = "Tiles per row (default: a square-ish grid)." };

    public Option<int?> Scale { get; } = new("--scale") { Description = "Integer upscale of every tile, 1 to 16 (default: 2 for a grid, 1 for a single image)." };

    public Option<int?> Padding { get; } = new("--padding") { Description = "Background pixels around and between tiles, 0 to 64 (default: 2 for a grid, 0 for a single image)." };

    public void AddTo(Command command)
    {
        if (withColumns)
        {
            command.Add(Columns);
        }
        command.Add(Scale);
        command.Add(Padding);
    }

    public ImageGridOptions Options(ParseResult parseResult, int tiles, int columns, string? title = null, IReadOnlyList<string?>? tileLabels = null)
    {
        bool single = tiles == 1 && title is null && tileLabels is null;
        int scale = parseResult.GetValue(Scale) ?? (single ? 1 : 2);
        if (scale is < 1 or > 16)
        {
            throw new CliUsageException($"--scale is {scale}; use 1 to 16.");
        }
        int padding = parseResult.GetValue(Padding) ?? (single ? 0 : 2);
        if (padding is < 0 or > 64)
        {
            throw new CliUsageException($"--padding is {padding}; use 0 to 64.");
        }
        int chosen = (withColumns ? parseResult.GetValue(Columns) : null) ?? columns;
        if (chosen < 1)
        {
            throw new CliUsageException($"--columns is {chosen}; use 1 or more.");
        }
        return new ImageGridOptions { Columns = chosen, Scale = scale, Padding = padding, Title = title, TileLabels = tileLabels };
    }
}
