// Scores the anomaly demonstration's sets with the runtime (VaeScorer.Score through DatasetScoring) and measures how
// well the scores separate normal from anomalous images:
//   - the normal test images are split in two by index parity: even indices calibrate the threshold (the chosen
//     percentile of their scores, as `calibrate` does), odd indices are the normal side of every comparison;
//   - per anomaly set: AUROC against the normal half (threshold-free) and the fraction flagged by the threshold;
//     for the normal half: the fraction flagged (false-positive rate).
// It deliberately draws nothing and writes nothing (AnomalyPictures, AnomalyReportFiles).
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Scoring;

namespace VaeOnnx.Trainer.Anomaly;

/// <summary>One image set and the score of each of its images, in order.</summary>
public sealed record ScoredSet(ImageDataset Images, double[] Scores)
{
    public string Name => Images.Name;

    public MeanWithError Mean => MeanWithError.Of(Scores);
}

/// <summary>One line of the report: a set, its mean score, AUROC against the normal half and the flagged fraction.</summary>
public sealed record SeparationRow(string Name, int Count, MeanWithError Score, double? Auroc, double FlaggedFraction);

public sealed record AnomalyResults(ScoreKind Kind, int Samples, ulong Seed, ScoreCalibration Calibration, ScoredSet Normal, IReadOnlyList<ScoredSet> Anomalies)
{
    /// <summary>The normal half first (AUROC null), then every anomaly set.</summary>
    public IReadOnlyList<SeparationRow> Rows =>
    [
        Row(Normal, null),
        .. Anomalies.Select(a => Row(a, Auroc.Of(Normal.Scores, a.Scores))),
    ];

    private SeparationRow Row(ScoredSet set, double? auroc) =>
        new(set.Name, set.Scores.Length, set.Mean, auroc, set.Scores.Count(Calibration.IsAnomalous) / (double)set.Scores.Length);
}

public static class AnomalyEvaluation
{
    /// <summary>
    /// Scores every set; <paramref name="progress"/> gets (set name, images done, images in the set) as scoring goes.
    /// The calibration is made for <paramref name="model"/>'s files but not saved.
    /// </summary>
    public static AnomalyResults Run(VaeModel model, AnomalySets sets, ScoreKind kind, int samples, ulong seed, double percentile,
        Action<string, int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sets);
        if (sets.Normal.Count < 2)
        {
            throw new ArgumentException($"The normal set has {sets.Normal.Count} image(s); the demonstration needs at least 2 (half calibrate, half evaluate).");
        }
        var calibrationImages = sets.Normal.Select(Enumerable.Range(0, sets.Normal.Count).Where(i => i % 2 == 0).ToArray(), "normal, calibration half");
        var normalImages = sets.Normal.Select(Enumerable.Range(0, sets.Normal.Count).Where(i => i % 2 == 1).ToArray(), sets.Normal.Name);

        ScoredSet ScoreSet(ImageDataset images)
        {
            var scores = DatasetScoring.Score(model, images, samples, seed, done => progress?.Invoke(images.Name, done, images.Count), cancellationToken);
            return new ScoredSet(images, scores.Select(s => s.Value(kind)).ToArray());
        }

        var calibrationSet = ScoreSet(calibrationImages);
        var calibration = ScoreCalibration.FromScores(model, calibrationSet.Scores, kind, samples, seed, percentile);
        var normal = ScoreSet(normalImages);
        var anomalies = sets.Anomalies.Select(ScoreSet).ToArray();
        return new AnomalyResults(kind, samples, seed, calibration, normal, anomalies);
    }
}
