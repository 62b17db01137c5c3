// The options of commands that write an image grid: --columns (unless the command fixes the layout) and --scale
// (integer upscale of each tile).
using System.CommandLine;
using VaeOnnx.Runtime.Imaging;

namespace VaeOnnx.Runtime.Cli;

public sealed class GridOptions(bool withColumns = true)
{
    public Option<int?> Columns { get; } = new("--columns") { Description = "Tiles per row (default: a square-ish grid)." };

    public Option<int> Scale { get; } = new("--scale") { Description = "Integer upscale of every tile (1 to 16).", DefaultValueFactory = _ => 2 };

    public void AddTo(Command command)
    {
        if (withColumns)
        {
            command.Add(Columns);
        }
        command.Add(Scale);
    }

    public ImageGridOptions Options(ParseResult parseResult, int columns, string? title = null, IReadOnlyList<string?>? tileLabels = null)
    {
        int scale = parseResult.GetValue(Scale);
        if (scale is < 1 or > 16)
        {
            throw new CliUsageException($"--scale is {scale}; use 1 to 16.");
        }
        int chosen = (withColumns ? parseResult.GetValue(Columns) : null) ?? columns;
        if (chosen < 1)
        {
            throw new CliUsageException($"--columns is {chosen}; use 1 or more.");
        }
        return new ImageGridOptions { Columns = chosen, Scale = scale, Title = title, TileLabels = tileLabels };
    }
}
