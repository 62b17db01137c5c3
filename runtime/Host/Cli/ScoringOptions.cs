// The options `score` and `calibrate` share: --samples (k), --kind (elbo | nll) and --seed, and how they combine with
// a calibration: `score` takes a calibration's settings by default and refuses settings that differ from them, since
// a threshold only means something for scores computed the same way (the IWAE estimate depends on k).
using System.CommandLine;
using VaeOnnx.Runtime.Core.Scoring;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class ScoringOptions
{
    public Option<int?> Samples { get; } = new("--samples", "-k")
    {
        Description = $"Posterior draws per image (k, 1 to {ScoreSamples.Max}) [default: the calibration's, else {ScoreSamples.Default}].",
        HelpName = "K",
    };

    public Option<string?> Kind { get; } = new("--kind")
    {
        Description = "Score compared with the threshold: nll (importance-weighted -log p(x)) or elbo (negative ELBO) [default: the calibration's, else nll].",
    };

    public Option<ulong?> Seed { get; } = new("--seed") { Description = "Seed of the posterior draws [default: the calibration's, else 0]." };

    public ScoringOptions()
    {
        Kind.AcceptOnlyFromAmong(ScoreKindNames.NegativeLogLikelihood, ScoreKindNames.NegativeElbo);
    }

    public void AddTo(Command command)
    {
        command.Add(Samples);
        command.Add(Kind);
        command.Add(Seed);
    }

    /// <summary>The settings to score with: the ones given, else the calibration's, else the defaults.</summary>
    public (ScoreKind Kind, int Samples, ulong Seed) Resolve(ParseResult parseResult, ScoreCalibration? calibration)
    {
        int? samples = parseResult.GetValue(Samples);
        string? kindText = parseResult.GetValue(Kind);
        ScoreKind? kind = kindText is null ? null : ScoreKindNames.Parse(kindText);
        ulong? seed = parseResult.GetValue(Seed);
        if (samples is int given && ScoreSamples.Problem(given, "--samples") is string problem)
        {
            throw new CliUsageException(problem);
        }
        if (calibration != null)
        {
            if (samples is int k && k != calibration.Samples || kind is ScoreKind s && s != calibration.Kind || seed is ulong r && r != calibration.Seed)
            {
                throw new CliUsageException(
                    $"calibration.json was made with --kind {calibration.Kind.ToName()} --samples {calibration.Samples} --seed {calibration.Seed}; " +
                    "its threshold does not apply to other settings. Leave those options out, or run 'calibrate' again with the settings you want.");
            }
            return (calibration.Kind, calibration.Samples, calibration.Seed);
        }
        return (kind ?? ScoreKind.NegativeLogLikelihood, samples ?? ScoreSamples.Default, seed ?? 0);
    }
}
