// The anomaly-detection demonstration end to end (trainer/Anomaly/README.md): trains a VAE on some labels only
// (TrainingRun, as `train` does), or opens an existing run (RunFolder); then scores, with the runtime's VaeScorer on
// the exported graphs, half of the normal test images (the other half calibrates the threshold), the held-out labels'
// test images and three plainly out-of-distribution sets (AnomalySets, AnomalyEvaluation). It writes into the run
// folder anomaly-report.md/.json, anomaly-histograms.png, anomaly-extremes.png and calibration.json (so
// `runtime score --model RUN` flags with the same threshold).
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Inference;
using VaeOnnx.Trainer.Anomaly;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Runs;

/// <summary>What the demo produced: the training's result when it trained, and the analysis when it got that far.</summary>
/// <param name="Training">Null when an existing run was analysed.</param>
/// <param name="Analysis">Null when training did not complete (interrupted or diverged).</param>
public sealed record AnomalyDemoResult(TrainingResult? Training, AnomalyAnalysis? Analysis);

/// <summary>The scored sets, a one-line description of the model, and the files written (full paths).</summary>
public sealed record AnomalyAnalysis(AnomalyResults Results, string Description, string Folder, IReadOnlyList<string> Files);

public static class AnomalyDemo
{
    /// <summary>
    /// Validates <paramref name="options"/>, trains unless options.Model names a run, and analyses. Training needs
    /// <paramref name="training"/> (its device; null only with options.Model) and stops at <paramref name="stop"/>;
    /// <paramref name="view"/> shows both steps.
    /// </summary>
    public static AnomalyDemoResult Run(AnomalyDemoOptions options, RunEnvironment? training, DatasetDownloader? downloader, StopSignal stop, IRunView view)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(view);
        options.Validate();
        TrainingResult? trained = null;
        if (options.Model is null)
        {
            if (training is null)
            {
                throw new ArgumentNullException(nameof(training), "The demo trains a model unless options.Model names a run; give the environment to train in.");
            }
            trained = TrainingRun.Prepare(options.ToTrainingConfig(), options.Folder, training).Train(stop, view);
            if (trained.Finished is null)
            {
                return new AnomalyDemoResult(trained, null);
            }
        }
        return new AnomalyDemoResult(trained, Analyse(options, options.Model ?? options.Folder, downloader, view));
    }

    /// <summary>Scores the sets with the run in <paramref name="runFolder"/> and writes the report, the pictures and calibration.json there.</summary>
    public static AnomalyAnalysis Analyse(AnomalyDemoOptions options, string runFolder, DatasetDownloader? downloader, IRunView view)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(view);
        RunFolder run = RunFolder.Open(runFolder);
        TrainingConfig config = run.Config;
        // Every label of the test split (the held-out ones included), binarized as the run was trained.
        ImageDataset test = run.LoadData(new DataOverrides { DataFolder = options.DataFolder, AllLabels = true, TrainLimit = 1, TestLimit = options.TestLimit },
            downloader).Test;
        LabelFilter normal = LabelFilter.Parse(config.Data.Labels ?? $"0-{test.LabelNames.Count - 1}");
        AnomalySets sets = AnomalySets.Build(test, normal, options.SyntheticCount, options.Seed);

        using var model = VaeModel.Load(runFolder, new InferenceOptions { IntraOpThreads = options.ScoringThreads });
        int total = sets.Normal.Count + sets.Anomalies.Sum(a => a.Count);
        var done = new Dictionary<string, int>();
        AnomalyResults results = view.Score($"scoring {2 + sets.Anomalies.Count} sets, k = {options.Samples}", total,
            report => AnomalyEvaluation.Run(model, sets, options.Kind, options.Samples, options.Seed, options.Percentile, (name, count, _) =>
            {
                done[name] = count;
                report(done.Values.Sum());
            }));

        string calibration = results.Calibration.Save(runFolder);
        string description = $"{config.Architecture.ToName()} VAE (latent {config.EffectiveLatentSize}) trained on {test.Name.Split('/')[0]} labels {normal.Text}";
        IReadOnlyList<string> files =
        [
            .. AnomalyReportFiles.Write(results, runFolder, Path.GetFullPath(runFolder), description),
            .. AnomalyPictures.Write(results, runFolder),
            calibration,
        ];
        return new AnomalyAnalysis(results, description, runFolder, files);
    }
}
