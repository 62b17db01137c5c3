// `decode`: decodes latent vectors from a file (what `encode` writes, or plain CSV rows of L numbers) into a PNG grid.
using System.CommandLine;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class DecodeCommand : CliCommand
{
    private readonly ModelOptions _model = new();

    private readonly Option<string> _z = new("--z") { Description = "JSON or CSV file of latent vectors (encode's output, or rows of L numbers).", Required = true, HelpName = "FILE" };

    private readonly GridOptions _grid = new();

    private readonly Option<string> _out = new("--out", "-o") { Description = "PNG file to write the grid to.", Required = true, HelpName = "FILE" };

    public override string Name => "decode";

    public override string Description => "Decode latent vectors from a JSON or CSV file and write the images as a PNG grid.";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_z);
        _grid.AddTo(command);
        command.Add(_out);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        var zPath = parseResult.GetValue(_z)!;
        InputPath.File(zPath, "--z", "give a JSON or CSV file of latent vectors (what encode writes, or rows of L numbers)");
        var outPath = OutputFile.Check(parseResult.GetValue(_out)!, "--out");
        using var model = _model.Load(parseResult);
        var m = model.Metadata;
        var (z, count) = LatentFile.Read(zPath, m.LatentSize);
        var images = model.Decode(z, count);
        var grid = images.ToGrid(_grid.Options(parseResult, tiles: count, columns: (int)Math.Ceiling(Math.Sqrt(count))));
        OutputFile.WritePng(grid, outPath);
        output.WriteLine($"wrote {count} decoded image(s) to {outPath}");
        return Success;
    }
}
