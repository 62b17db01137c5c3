// `calibrate`: scores normal reference images and stores the chosen percentile of their scores as the anomaly
// threshold in the model folder's calibration.json (ScoreCalibration), replacing any earlier one atomically.
// Images are read as `reconstruct` reads them (--resize, --grey). Nothing is written unless every image was read and scored.
using System.CommandLine;
using System.Globalization;
using VaeOnnx.Runtime.Core.Scoring;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class CalibrateCommand : CliCommand
{
    private readonly ModelOptions _model = new();
    private readonly ScoringOptions _scoring = new();

    private readonly Option<string[]> _in = new("--in", "-i")
    {
        Description = "Normal reference images: image files, or folders of them.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
        HelpName = "PATH",
    };

    private readonly Option<string?> _resize = ImageInputs.CreateResizeOption();

    private readonly Option<bool> _grey = ImageInputs.CreateGreyOption();

    private readonly Option<double> _percentile = new("--percentile")
    {
        Description = "Percentile of the reference scores that becomes the threshold (0 to 100).",
        DefaultValueFactory = _ => 99,
    };

    public override string Name => "calibrate";

    public override string Description => "Score normal reference images and store an anomaly threshold (a percentile of their scores) in DIR/calibration.json.";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        command.Add(_in);
        command.Add(_resize);
        command.Add(_grey);
        command.Add(_percentile);
        _scoring.AddTo(command);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        double percentile = parseResult.GetValue(_percentile);
        if (!(percentile is >= 0 and <= 100))
        {
            throw new CliUsageException($"--percentile is {UserText.Number(percentile)}; use a number from 0 to 100 (e.g. 99).");
        }
        var (kind, samples, seed) = _scoring.Resolve(parseResult, calibration: null);
        var files = ImageFiles.Expand(parseResult.GetValue(_in) ?? []);
        using var model = _model.Load(parseResult);
        var likelihood = PixelLikelihood.For(model);
        if (likelihood.Note is { } note)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"note: {note}");
        }
        var scores = FileScoring.Score(model, files, samples, seed, ImageInputs.ReadOptions(parseResult, _resize, _grey, model.Metadata),
            parseResult.InvocationConfiguration.Error).Select(s => s.Value(kind)).ToArray();
        var calibration = ScoreCalibration.FromScores(model, scores, kind, samples, seed, percentile);
        var path = calibration.Save(model.Folder);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calibrated on {files.Count} image(s), score {kind.ToName()} (k = {samples}, seed {seed}): mean {UserText.Number(calibration.Mean, 3)}, std {UserText.Number(calibration.StandardDeviation, 3)}, min {UserText.Number(calibration.Min, 3)}, max {UserText.Number(calibration.Max, 3)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"threshold {UserText.Number(calibration.Threshold, 3)} nats (percentile {UserText.Number(percentile)}); wrote {path}"));
        return Success;
    }
}
