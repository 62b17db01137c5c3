// `interpolate`: encodes two images (posterior means; any format ImageAdmission reads, --resize and --grey as for
// reconstruct), walks the latent path between them and writes the
// decoded steps, both ends included, as one row.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class InterpolateCommand : CliCommand
{
    private readonly ModelOptions _model = new();

    private readonly Option<string> _from = new("--from") { Description = "Image file at the start of the path (of the model's size, or any size with --resize).", Required = true, HelpName = "FILE" };

    private readonly Option<string> _to = new("--to") { Description = "Image file at the end of the path.", Required = true, HelpName = "FILE" };

    private readonly Option<string?> _resize = ImageInputs.CreateResizeOption();

    private readonly Option<bool> _grey = ImageInputs.CreateGreyOption();

    private readonly Option<int> _steps = new("--steps") { Description = "Images on the path, both ends included (2 to 4096).", DefaultValueFactory = _ => 10 };

    private readonly Option<string> _kind = new("--kind") { Description = "linear, or spherical (slerp).", DefaultValueFactory = _ => "linear" };

    private readonly GridOptions _grid = new();

    private readonly Option<string> _out = new("--out", "-o") { Description = "PNG file to write.", Required = true, HelpName = "FILE" };

    public InterpolateCommand()
    {
        _kind.AcceptOnlyFromAmong("linear", "spherical");
    }

    public override string Name => "interpolate";

    public override string Description => "Decode the latent path between two images and write it as a row of images.";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_from);
        command.Add(_to);
        command.Add(_resize);
        command.Add(_grey);
        command.Add(_steps);
        command.Add(_kind);
        _grid.AddTo(command);
        command.Add(_out);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        int steps = parseResult.GetValue(_steps);
        if (steps < 2 || steps > VaeModel.MaxCount)
        {
            throw new CliUsageException($"--steps is {steps}; use 2 to {VaeModel.MaxCount} (both ends count).");
        }
        var outPath = OutputFile.Check(parseResult.GetValue(_out)!, "--out");
        using var model = _model.Load(parseResult);
        var m = model.Metadata;
        var ends = ImageInputs.Load([parseResult.GetValue(_from)!, parseResult.GetValue(_to)!], m, ImageInputs.ReadOptions(parseResult, _resize, _grey, m),
            parseResult.InvocationConfiguration.Error);
        var mu = model.Encode(ends, 2).Mu;
        var kind = parseResult.GetValue(_kind) == "spherical" ? InterpolationKind.Spherical : InterpolationKind.Linear;
        var images = model.Interpolate(mu.AsSpan(0, m.LatentSize), mu.AsSpan(m.LatentSize, m.LatentSize), steps, kind);
        var grid = images.ToGrid(_grid.Options(parseResult, tiles: steps, columns: steps));
        OutputFile.WritePng(grid, outPath);
        output.WriteLine($"wrote {steps} {kind.ToString().ToLowerInvariant()} interpolation steps to {outPath}");
        return Success;
    }
}
