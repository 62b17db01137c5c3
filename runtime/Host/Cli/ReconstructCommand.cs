// `reconstruct`: encodes images (any format ImageAdmission reads) and decodes them again; writes each original beside its reconstruction.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class ReconstructCommand : CliCommand
{
    private readonly ModelOptions _model = new();

    private readonly Option<string[]> _in = ImageInputs.CreateOption();

    private readonly Option<string?> _resize = ImageInputs.CreateResizeOption();

    private readonly Option<bool> _grey = ImageInputs.CreateGreyOption();

    private readonly Option<string> _mode = new("--mode") { Description = "mean decodes mu; sampled decodes one posterior draw.", DefaultValueFactory = _ => "mean" };

    private readonly Option<ulong> _seed = new("--seed") { Description = "Seed of the posterior draw (--mode sampled).", DefaultValueFactory = _ => 1 };

    private readonly GridOptions _grid = new(withColumns: false);

    private readonly Option<string> _out = new("--out", "-o") { Description = "PNG file to write (original | reconstruction per row).", Required = true, HelpName = "FILE" };

    public ReconstructCommand()
    {
        _mode.AcceptOnlyFromAmong("mean", "sampled");
    }

    public override string Name => "reconstruct";

    public override string Description => "Encode and decode images; write originals beside their reconstructions.";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_in);
        command.Add(_resize);
        command.Add(_grey);
        command.Add(_mode);
        command.Add(_seed);
        _grid.AddTo(command);
        command.Add(_out);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        var inputs = parseResult.GetValue(_in) ?? [];
        var outPath = OutputFile.Check(parseResult.GetValue(_out)!, "--out");
        using var model = _model.Load(parseResult);
        var m = model.Metadata;
        var images = ImageInputs.Load(inputs, m, ImageInputs.ReadOptions(parseResult, _resize, _grey, m), parseResult.InvocationConfiguration.Error);
        var mode = parseResult.GetValue(_mode) == "sampled" ? ReconstructionMode.Sampled : ReconstructionMode.Mean;
        var reconstructions = model.Reconstruct(images, inputs.Length, mode, parseResult.GetValue(_seed));

        int size = m.ImageSize;
        var pairs = new float[2 * inputs.Length * size];
        for (int i = 0; i < inputs.Length; i++)
        {
            images.AsSpan(i * size, size).CopyTo(pairs.AsSpan(2 * i * size, size));
            reconstructions[i].CopyTo(pairs.AsSpan((2 * i + 1) * size, size));
        }
        var grid = ImageGrid.FromPlanarBatch(pairs, 2 * inputs.Length, m.Channels, m.Height, m.Width,
            _grid.Options(parseResult, tiles: 2 * inputs.Length, columns: 2, title: "original | reconstruction"));
        OutputFile.WritePng(grid, outPath);
        output.WriteLine($"wrote {inputs.Length} reconstruction(s) ({mode.ToString().ToLowerInvariant()}) to {outPath}");
        return Success;
    }
}
