// `encode`: the posterior mu and logvar of images (any format ImageAdmission reads), as JSON or CSV (LatentFile), to stdout or a file.
using System.CommandLine;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class EncodeCommand : CliCommand
{
    private readonly ModelOptions _model = new();

    private readonly Option<string[]> _in = ImageInputs.CreateOption();

    private readonly Option<string?> _resize = ImageInputs.CreateResizeOption();

    private readonly Option<bool> _grey = ImageInputs.CreateGreyOption();

    private readonly Option<string> _format = new("--format") { Description = "json or csv.", DefaultValueFactory = _ => "json" };

    private readonly Option<string?> _out = new("--out", "-o") { Description = "File to write (default: standard output).", HelpName = "FILE" };

    public EncodeCommand()
    {
        _format.AcceptOnlyFromAmong("json", "csv");
    }

    public override string Name => "encode";

    public override string Description => "Encode images to their latent mean and log-variance (JSON or CSV).";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_in);
        command.Add(_resize);
        command.Add(_grey);
        command.Add(_format);
        command.Add(_out);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        var inputs = parseResult.GetValue(_in) ?? [];
        var outPath = parseResult.GetValue(_out) is { } path ? OutputFile.Check(path, "--out") : null;
        using var model = _model.Load(parseResult);
        var images = ImageInputs.Load(inputs, model.Metadata, ImageInputs.ReadOptions(parseResult, _resize, _grey, model.Metadata),
            parseResult.InvocationConfiguration.Error);
        var encoded = model.Encode(images, inputs.Length);
        var text = parseResult.GetValue(_format) == "csv"
            ? LatentFile.ToCsv(inputs, encoded)
            : LatentFile.ToJson(model.Folder, inputs, encoded);
        if (outPath == null)
        {
            output.Write(text);
        }
        else
        {
            OutputFile.WriteText(text, outPath);
            output.WriteLine($"wrote {inputs.Length} latent vector(s) to {outPath}");
        }
        return Success;
    }
}
