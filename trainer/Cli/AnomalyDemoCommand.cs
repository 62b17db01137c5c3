// `anomaly-demo`: the anomaly-detection demonstration (Runs/AnomalyDemo does the work; trainer/Anomaly/README.md
// describes it). Trains a VAE on some labels only (default: MNIST digits 0-8), as `train` does, then scores half of
// the normal test images (the other half calibrates the threshold), the held-out labels' test images (the 9s) and
// three plainly out-of-distribution sets, reports AUROC and the flagged fraction per set, and writes the report, its
// pictures and calibration.json into the run folder. --model RUN_DIR skips training and analyses an existing run.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Trainer.Anomaly;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Cli;

public static class AnomalyDemoCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new AnomalyDemoOptions();
        var model = new Option<string?>("--model") { Description = "Analyse this existing run folder instead of training one (its --digits are the normal labels)" };
        var outFolder = new Option<string>("--out") { Description = "Run folder to train into and write the report to", DefaultValueFactory = _ => defaults.Folder };
        var normalLabels = new Option<string>("--digits", "--labels") { Description = "Labels the model is trained on (normal); the others are held out as anomalies", DefaultValueFactory = _ => defaults.NormalLabels };
        var dataset = new Option<string>("--dataset") { Description = "mnist, fashion-mnist, shapes or folder:PATH (as for train)", DefaultValueFactory = _ => defaults.Dataset };
        var arch = new Option<string>("--arch") { Description = "Network: mlp or conv", DefaultValueFactory = _ => defaults.Architecture.ToName() };
        arch.AcceptOnlyFromAmong([.. VaeKindNames.All]);
        var latent = new Option<int>("--latent") { Description = "Latent dimensions", DefaultValueFactory = _ => defaults.LatentSize };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => defaults.Epochs };
        var binarize = new Option<string>("--binarize") { Description = "none, dynamic or static (as for train)", DefaultValueFactory = _ => defaults.Binarize.ToName() };
        binarize.AcceptOnlyFromAmong([.. BinarizationNames.All]);
        var trainLimit = new Option<int?>("--train-limit") { Description = "Train on the first N training images of the normal labels (quick runs)" };
        var testLimit = new Option<int?>("--test-limit") { Description = "Analyse only the first N test images (all labels)" };
        var synthetic = new Option<int>("--synthetic") { Description = "Images in each of the noise, inverted and shapes sets", DefaultValueFactory = _ => defaults.SyntheticCount };
        var samples = new Option<int>("--samples") { Description = "Posterior draws per image (k) of the scores", DefaultValueFactory = _ => defaults.Samples };
        var kind = new Option<string>("--kind") { Description = "Score: nll (importance-weighted -log p(x)) or elbo (negative ELBO)", DefaultValueFactory = _ => defaults.Kind.ToName() };
        kind.AcceptOnlyFromAmong(ScoreKindNames.NegativeLogLikelihood, ScoreKindNames.NegativeElbo);
        var percentile = new Option<double>("--percentile") { Description = "Percentile of the calibration half's scores that becomes the threshold", DefaultValueFactory = _ => defaults.Percentile };
        var seed = new Option<ulong>("--seed") { Description = "Seed of training, the synthetic sets and the scores", DefaultValueFactory = _ => defaults.Seed };
        var data = new Option<string?>("--data") { Description = "Folder with the MNIST IDX files [default: as train]" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for training and scoring [default: all cores]" };
        var command = new Command("anomaly-demo",
            "Train on some digits only, then score held-out digits, noise, inverted digits and shapes against the normal test images (AUROC, histograms, extremes)")
        {
            model, outFolder, normalLabels, dataset, arch, latent, epochs, binarize, trainLimit, testLimit, synthetic, samples, kind, percentile, seed, data, threads,
        };
        CommandAction.Set(command, context, result =>
        {
            var options = new AnomalyDemoOptions
            {
                Model = result.GetValue(model),
                Folder = result.GetValue(outFolder)!,
                NormalLabels = result.GetValue(normalLabels)!,
                Dataset = result.GetValue(dataset)!,
                Architecture = VaeKindNames.Parse(result.GetValue(arch)!),
                LatentSize = result.GetValue(latent),
                Epochs = result.GetValue(epochs),
                Binarize = BinarizationNames.Parse(result.GetValue(binarize)!),
                TrainLimit = result.GetValue(trainLimit),
                TestLimit = result.GetValue(testLimit),
                DataFolder = result.GetValue(data),
                SyntheticCount = result.GetValue(synthetic),
                Samples = result.GetValue(samples),
                Kind = ScoreKindNames.Parse(result.GetValue(kind)!),
                Percentile = result.GetValue(percentile),
                Seed = result.GetValue(seed),
                ScoringThreads = ThreadOption.ForOnnxRuntime(result.GetValue(threads)),
            };
            options.Validate();
            // Training opens the device train opens by default; analysing an existing run needs none.
            using ComputeDevice? device = options.Model is null ? ComputeDevice.Open(DeviceRequest.AutoName) : null;
            if (device is not null)
            {
                ThreadOption.ApplyToEngine(result.GetValue(threads));
                context.Output.WriteLine($"anomaly-demo: training on labels {options.NormalLabels}");
            }
            using StopSignal stop = context.StopSignalFactory();
            var view = new CliRunView(context);
            RunEnvironment? training = device is null ? null : new RunEnvironment(device) { Downloader = context.Downloader };
            AnomalyDemoResult demo = AnomalyDemo.Run(options, training, context.Downloader, stop, view);
            if (demo.Training is { } trained && CliRunView.ExitCode(trained) is int exit && exit != ExitCodes.Success)
            {
                return exit;
            }
            AnomalyAnalysis analysis = demo.Analysis!;
            context.Output.WriteLine();
            context.Output.Write(AnomalyReportFiles.Markdown(analysis.Results, analysis.Description));
            context.Output.WriteLine();
            context.Output.WriteLine($"wrote {string.Join(", ", analysis.Files.Select(Path.GetFileName))} in {analysis.Folder}");
            return ExitCodes.Success;
        });
        return command;
    }
}
