// `sample`: decodes --count latents drawn from N(0, I) x temperature (seeded) and writes them as one PNG grid
// (a single sample is written bare, at the model's image size).
using System.CommandLine;
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Runtime.Core;

using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class SampleCommand : CliCommand
{
    private readonly ModelOptions _model = new();

    private readonly Option<int> _count = new("--count", "-n") { Description = $"Images to sample (1 to {VaeModel.MaxCount}).", DefaultValueFactory = _ => 64 };

    private readonly Option<ulong> _seed = new("--seed") { Description = "Random seed; the same seed gives the same images.", DefaultValueFactory = _ => 1 };

    private readonly Option<float> _temperature = new("--temperature", "-t")
    {
        Description = "Scale of the latent draws (1 samples the prior; smaller is blander, larger is wilder).",
        DefaultValueFactory = _ => 1f,
    };

    private readonly GridOptions _grid = new();

    private readonly Option<string> _out = new("--out", "-o") { Description = "PNG file to write the grid to.", Required = true, HelpName = "FILE" };

    public override string Name => "sample";

    public override string Description => "Sample images from the model's prior and write them as a PNG grid.";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_count);
        command.Add(_seed);
        command.Add(_temperature);
        _grid.AddTo(command);
        command.Add(_out);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        int count = parseResult.GetValue(_count);
        if (count < 1 || count > VaeModel.MaxCount)
        {
            throw new CliUsageException($"--count is {count}; use 1 to {VaeModel.MaxCount}.");
        }
        float temperature = parseResult.GetValue(_temperature);
        if (VaeModel.TemperatureProblem(temperature, "--temperature") is string problem)
        {
            throw new CliUsageException(problem);
        }
        var outPath = OutputFile.Check(parseResult.GetValue(_out)!, "--out");
        using var model = _model.Load(parseResult);
        var m = model.Metadata;
        var images = model.Sample(count, parseResult.GetValue(_seed), temperature);
        var grid = images.ToGrid(_grid.Options(parseResult, tiles: count, columns: (int)Math.Ceiling(Math.Sqrt(count))));
        OutputFile.WritePng(grid, outPath);
        output.WriteLine($"wrote {count} samples (seed {parseResult.GetValue(_seed)}, temperature {temperature}) to {outPath}");
        return Success;
    }
}
