// `reconstruct`: encodes PNG images and decodes them again; writes each original beside its reconstruction.
using System.CommandLine;
using VaeOnnx.Runtime.Imaging;

namespace VaeOnnx.Runtime.Cli;

public sealed class ReconstructCommand : CliCommand
{
    private readonly ModelOptions _model = new();

    private readonly Option<string[]> _in = new("--in", "-i")
    {
        Description = "PNG images of the model's size and channels.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
        HelpName = "FILE",
    };

    private readonly Option<string> _mode = new("--mode") { Description = "mean decodes mu; sampled decodes one posterior draw.", DefaultValueFactory = _ => "mean" };

    private readonly Option<ulong> _seed = new("--seed") { Description = "Seed of the posterior draw (--mode sampled).", DefaultValueFactory = _ => 1 };

    private readonly Option<int> _scale = new("--scale") { Description = "Integer upscale of every tile (1 to 16).", DefaultValueFactory = _ => 2 };

    private readonly Option<string> _out = new("--out", "-o") { Description = "PNG file to write (original | reconstruction per row).", Required = true, HelpName = "FILE" };

    public ReconstructCommand()
    {
        _mode.AcceptOnlyFromAmong("mean", "sampled");
    }

    public override string Name => "reconstruct";

    public override string Description => "Encode and decode PNG images; write originals beside their reconstructions.";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_in);
        command.Add(_mode);
        command.Add(_seed);
        command.Add(_scale);
        command.Add(_out);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        var inputs = parseResult.GetValue(_in) ?? [];
        var outPath = OutputFile.Check(parseResult.GetValue(_out)!, "--out");
        int scale = parseResult.GetValue(_scale);
        if (scale is < 1 or > 16)
        {
            throw new CliUsageException($"--scale is {scale}; use 1 to 16.");
        }
        using var model = _model.Load(parseResult);
        var m = model.Metadata;
        var images = ImageInputs.Load(inputs, m);
        var mode = parseResult.GetValue(_mode) == "sampled" ? ReconstructionMode.Sampled : ReconstructionMode.Mean;
        var reconstructions = model.Reconstruct(images, inputs.Length, mode, parseResult.GetValue(_seed));

        int size = m.ImageSize;
        var pairs = new float[2 * inputs.Length * size];
        for (int i = 0; i < inputs.Length; i++)
        {
            images.AsSpan(i * size, size).CopyTo(pairs.AsSpan(2 * i * size, size));
            reconstructions.AsSpan(i * size, size).CopyTo(pairs.AsSpan((2 * i + 1) * size, size));
        }
        var grid = ImageGrid.FromPlanarBatch(pairs, 2 * inputs.Length, m.Channels, m.Height, m.Width,
            new ImageGridOptions { Columns = 2, Scale = scale, Title = "original | reconstruction" });
        OutputFile.WritePng(grid, outPath);
        output.WriteLine($"wrote {inputs.Length} reconstruction(s) ({mode.ToString().ToLowerInvariant()}) to {outPath}");
        return Success;
    }
}
