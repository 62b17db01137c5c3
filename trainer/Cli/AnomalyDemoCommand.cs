// `anomaly-demo`: the anomaly-detection demonstration end to end. Trains a VAE on some labels only (default: MNIST
// digits 0-8, through the `train` command itself; any labelled dataset works), then scores, with the runtime's VaeModel.Score on the exported
// graphs, half of the normal test images (the other half calibrates the threshold), the held-out labels' test images
// (the 9s) and three plainly out-of-distribution sets (uniform noise, inverted digits, synthetic shapes). It reports
// AUROC and the flagged fraction per set, and writes into the run folder: anomaly-report.md/.json,
// anomaly-histograms.png, anomaly-extremes.png and calibration.json (so `runtime score --model RUN` flags with the
// same threshold). --model RUN_DIR skips training and analyses an existing run.
using System.CommandLine;
using System.Globalization;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Trainer.Anomaly;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Scoring;
using VaeOnnx.Trainer.Training;

using VaeOnnx.Runtime.Core.Inference;

namespace VaeOnnx.Trainer.Cli;

public static class AnomalyDemoCommand
{
    public const string DefaultOut = "runs/anomaly-demo";

    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = "Analyse this existing run folder instead of training one (its --digits are the normal labels)" };
        var outFolder = new Option<string>("--out") { Description = "Run folder to train into and write the report to", DefaultValueFactory = _ => DefaultOut };
        var normalLabels = new Option<string>("--digits", "--labels") { Description = "Labels the model is trained on (normal); the others are held out as anomalies", DefaultValueFactory = _ => "0-8" };
        var dataset = new Option<string>("--dataset") { Description = "mnist, fashion-mnist, shapes or folder:PATH (as for train)", DefaultValueFactory = _ => "mnist" };
        var arch = new Option<string>("--arch") { Description = "Network: mlp or conv", DefaultValueFactory = _ => "mlp" };
        var latent = new Option<int>("--latent") { Description = "Latent dimensions", DefaultValueFactory = _ => 16 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 10 };
        var binarize = new Option<string>("--binarize") { Description = "none, dynamic or static (as for train)", DefaultValueFactory = _ => "none" };
        binarize.AcceptOnlyFromAmong("none", "dynamic", "static");
        var trainLimit = new Option<int?>("--train-limit") { Description = "Train on the first N training images of the normal labels (quick runs)" };
        var testLimit = new Option<int?>("--test-limit") { Description = "Analyse only the first N test images (all labels)" };
        var synthetic = new Option<int>("--synthetic") { Description = "Images in each of the noise, inverted and shapes sets", DefaultValueFactory = _ => 1000 };
        var samples = new Option<int>("--samples") { Description = "Posterior draws per image (k) of the scores", DefaultValueFactory = _ => 16 };
        var kind = new Option<string>("--kind") { Description = "Score: nll (importance-weighted -log p(x)) or elbo (negative ELBO)", DefaultValueFactory = _ => "nll" };
        kind.AcceptOnlyFromAmong(ScoreKindNames.NegativeLogLikelihood, ScoreKindNames.NegativeElbo);
        var percentile = new Option<double>("--percentile") { Description = "Percentile of the calibration half's scores that becomes the threshold", DefaultValueFactory = _ => 99 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of training, the synthetic sets and the scores", DefaultValueFactory = _ => 1UL };
        var data = new Option<string?>("--data") { Description = "Folder with the MNIST IDX files [default: as train]" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for training and scoring [default: all cores]" };
        var command = new Command("anomaly-demo",
            "Train on some digits only, then score held-out digits, noise, inverted digits and shapes against the normal test images (AUROC, histograms, extremes)")
        {
            model, outFolder, normalLabels, dataset, arch, latent, epochs, binarize, trainLimit, testLimit, synthetic, samples, kind, percentile, seed, data, threads,
        };
        CommandAction.Set(command, context, result =>
        {
            int k = result.GetValue(samples), syntheticCount = result.GetValue(synthetic);
            double p = result.GetValue(percentile);
            if (k < 1 || k > VaeModel.MaxScoreSamples)
            {
                throw new CliUsageException($"--samples {k} is not usable; give 1 to {VaeModel.MaxScoreSamples}.");
            }
            if (syntheticCount < 1)
            {
                throw new CliUsageException($"--synthetic {syntheticCount} is not usable; give at least 1 image per synthetic set.");
            }
            if (!(p is >= 0 and <= 100))
            {
                throw new CliUsageException($"--percentile {p.ToString(CultureInfo.InvariantCulture)} is not usable; give 0 to 100 (e.g. 99).");
            }
            ThreadOption.ForOnnxRuntime(result.GetValue(threads));
            if (result.GetValue(testLimit) is < 4)
            {
                throw new CliUsageException($"--test-limit {result.GetValue(testLimit)} is too small; the demo needs at least 4 test images.");
            }

            string run = result.GetValue(model) ?? result.GetValue(outFolder)!;
            if (result.GetValue(model) is null)
            {
                string[] train =
                [
                    "train", "--dataset", result.GetValue(dataset)!, "--arch", result.GetValue(arch)!, "--latent", Invariant(result.GetValue(latent)), "--epochs", Invariant(result.GetValue(epochs)),
                    "--digits", result.GetValue(normalLabels)!, "--binarize", result.GetValue(binarize)!, "--seed", Invariant(result.GetValue(seed)), "--out", run,
                    .. Optional("--data", result.GetValue(data)), .. Optional("--train-limit", result.GetValue(trainLimit)),
                    .. Optional("--test-limit", result.GetValue(testLimit)), .. Optional("--threads", result.GetValue(threads)),
                ];
                context.Output.WriteLine($"anomaly-demo: training on labels {result.GetValue(normalLabels)} ({string.Join(' ', train)})");
                int trained = TrainerCli.Run(train, context);
                if (trained != ExitCodes.Success)
                {
                    return trained;
                }
            }
            return Analyse(context, run, result.GetValue(data), result.GetValue(testLimit), syntheticCount, ScoreKindNames.Parse(result.GetValue(kind)!), k, p,
                result.GetValue(seed), result.GetValue(threads));
        });
        return command;
    }

    private static int Analyse(CliContext context, string run, string? dataFolder, int? testLimit, int syntheticCount, ScoreKind kind, int samples, double percentile,
        ulong seed, int? threads)
    {
        TrainingConfig config = TrainingCheckpoint.Load(TrainingCheckpoint.PathIn(run)).State.Config;
        // Every label of the test split (the held-out ones included), binarized as the run was trained.
        DatasetRequest request = config.Data with { DataFolder = dataFolder ?? config.Data.DataFolder, Labels = null, TrainLimit = 1, TestLimit = testLimit };
        ImageDataset test = DatasetLoader.Load(request, context.Downloader).Test;
        LabelFilter normal = LabelFilter.Parse(config.Data.Labels ?? $"0-{test.LabelNames.Count - 1}");
        AnomalySets sets = AnomalySets.Build(test, normal, syntheticCount, seed);

        using var model = VaeModel.Load(run, new InferenceOptions { IntraOpThreads = threads ?? 0 });
        int total = sets.Normal.Count + sets.Anomalies.Sum(a => a.Count);
        var done = new Dictionary<string, int>();
        AnomalyResults results = ScoringProgress.Run(context.Console, context.Output, $"scoring {2 + sets.Anomalies.Count} sets, k = {samples}", total,
            report => AnomalyEvaluation.Run(model, sets, kind, samples, seed, percentile, (name, count, _) =>
            {
                done[name] = count;
                report(done.Values.Sum());
            }));

        string calibration = results.Calibration.Save(run);
        string description = $"{config.Architecture} VAE (latent {config.EffectiveLatentSize}) trained on {test.Name.Split('/')[0]} labels {normal.Text}";
        var files = AnomalyReportFiles.Write(results, run, Path.GetFullPath(run), description).Concat(AnomalyPictures.Write(results, run)).Append(calibration);
        context.Output.WriteLine();
        context.Output.Write(AnomalyReportFiles.Markdown(results, description));
        context.Output.WriteLine();
        context.Output.WriteLine($"wrote {string.Join(", ", files.Select(Path.GetFileName))} in {run}");
        return ExitCodes.Success;
    }

    private static string Invariant<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static string[] Optional<T>(string flag, T? value) => value switch
    {
        null => [],
        IFormattable f => [flag, f.ToString(null, CultureInfo.InvariantCulture)],
        _ => [flag, value.ToString()!],
    };
}
