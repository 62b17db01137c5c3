// `score`: anomaly scores of images (negative ELBO, its reconstruction and KL parts, and the importance-weighted
// -log p(x)) as a table, JSON or CSV, each flagged when the model folder's calibration.json gives a threshold. Images are
// read as `reconstruct` reads them (any format ImageAdmission reads; --resize and --grey).
// A calibration that is unreadable or was made for other model files is an error, not silently ignored.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Scoring;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class ScoreCommand : CliCommand
{
    private readonly ModelOptions _model = new();
    private readonly ScoringOptions _scoring = new();

    private readonly Option<string[]> _in = new("--in", "-i")
    {
        Description = "Images to score: image files, or folders of them.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
        HelpName = "PATH",
    };

    private readonly Option<string?> _resize = ImageInputs.CreateResizeOption();

    private readonly Option<bool> _grey = ImageInputs.CreateGreyOption();

    private readonly Option<string> _format = new("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };

    private readonly Option<string?> _out = new("--out", "-o") { Description = "File to write (default: standard output).", HelpName = "FILE" };

    public ScoreCommand()
    {
        _format.AcceptOnlyFromAmong("table", "json", "csv");
    }

    public override string Name => "score";

    public override string Description => "Anomaly scores of images (negative ELBO and importance-weighted -log p(x), in nats), flagged with the model's calibration.";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_in);
        command.Add(_resize);
        command.Add(_grey);
        _scoring.AddTo(command);
        command.Add(_format);
        command.Add(_out);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        var outPath = parseResult.GetValue(_out) is { } path ? OutputFile.Check(path, "--out") : null;
        var files = ImageFiles.Expand(parseResult.GetValue(_in) ?? []);
        using var model = _model.Load(parseResult);
        var calibration = ScoreCalibration.TryLoad(model.Folder);
        calibration?.CheckMatches(model.Folder);
        var (kind, samples, seed) = _scoring.Resolve(parseResult, calibration);
        var likelihood = PixelLikelihood.For(model);
        if (likelihood.Note is { } note)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"note: {note}");
        }
        var scores = FileScoring.Score(model, files, samples, seed, ImageInputs.ReadOptions(parseResult, _resize, _grey, model.Metadata),
            parseResult.InvocationConfiguration.Error);
        var report = new ScoreReport(model.Folder, files, scores, kind, samples, seed, likelihood.ToString(), calibration);
        var text = parseResult.GetValue(_format) switch
        {
            "json" => report.ToJson(),
            "csv" => report.ToCsv(),
            _ => report.ToTable(),
        };
        if (outPath == null)
        {
            output.Write(text);
        }
        else
        {
            OutputFile.WriteText(text, outPath);
            output.WriteLine($"wrote the scores of {files.Count} image(s) to {outPath}");
        }
        return Success;
    }
}
