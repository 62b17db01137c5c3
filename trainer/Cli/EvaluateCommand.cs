// `evaluate --model RUN_DIR|CHECKPOINT`: the test-set negative ELBO of a trained model, split into reconstruction
// and KL, in nats per image (one sample of z per image, noise from a fixed seed), computed by the engine.
// With --iw-samples K it also reports the importance-weighted estimate of -log p(x) with K samples per image (and the
// -ELBO over the same K draws), computed through the runtime's VaeModel.Score on the exported graphs
// (Scoring/OnnxEvaluation), so the likelihood math exists once. --binarize evaluates on a binarized test set.
using System.CommandLine;
using System.Globalization;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Scoring;
using VaeOnnx.Trainer.Training;

using VaeOnnx.Runtime.Core.Inference;

namespace VaeOnnx.Trainer.Cli;

public static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "Run folder (its checkpoint.bin) or a checkpoint file", Required = true };
        var data = new Option<string?>("--data") { Description = "Folder with the dataset's IDX files [default: as the run was trained]" };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass", DefaultValueFactory = _ => 256 };
        var testLimit = new Option<int?>("--test-limit") { Description = "Use only the first N test images" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the evaluation noise [default: the run's seed]" };
        var iwSamples = new Option<int?>("--iw-samples")
        {
            Description = $"Also estimate -log p(x) by importance sampling with K samples per image (IWAE bound; 5000 in the literature; 1 to {VaeModel.MaxScoreSamples})",
            HelpName = "K",
        };
        var binarize = new Option<string?>("--binarize") { Description = "Evaluate on a test set binarized once with the fixed seed (dynamic or static), or grey (none) [default: as the run was trained]" };
        binarize.AcceptOnlyFromAmong("none", "dynamic", "static");
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads of ONNX Runtime for --iw-samples [default: one per core]" };
        var command = new Command("evaluate", "Test-set negative ELBO of a trained model (nats per image), split into reconstruction and KL; with --iw-samples, the importance-sampled NLL")
        {
            model, data, batch, testLimit, seed, iwSamples, binarize, threads,
        };
        CommandAction.Set(command, context, result =>
        {
            int? k = result.GetValue(iwSamples);
            if (k is < 1 or > VaeModel.MaxScoreSamples)
            {
                throw new CliUsageException($"--iw-samples {k} is not usable; give 1 to {VaeModel.MaxScoreSamples} samples per image (5000 is the usual choice).");
            }
            int onnxThreads = ThreadOption.ForOnnxRuntime(result.GetValue(threads));
            TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(TrainingCheckpoint.PathIn(result.GetValue(model)!));
            TrainingConfig config = checkpoint.State.Config;
            DatasetRequest request = config.Data with
            {
                DataFolder = result.GetValue(data) ?? config.Data.DataFolder,
                TestLimit = result.GetValue(testLimit) ?? config.Data.TestLimit,
                Binarize = result.GetValue(binarize) is string b ? Enum.Parse<Binarization>(b, ignoreCase: true) : config.Data.Binarize,
            };
            int batchSize = result.GetValue(batch);
            if (batchSize < 1)
            {
                throw new CliUsageException($"--batch {batchSize} is not usable; give at least 1.");
            }
            DatasetSplits splits = DatasetLoader.Load(request, context.Downloader);
            foreach (string note in splits.Notes)
            {
                context.Output.WriteLine($"note: {note}");
            }
            ImageDataset test = splits.Test;
            VaeArchitecture a = checkpoint.Network.Architecture;
            if (test.Channels != a.Channels || test.Height != a.Height || test.Width != a.Width)
            {
                throw new CliUsageException($"The test images are {test.Channels}x{test.Height}x{test.Width}; the model takes {a.Channels}x{a.Height}x{a.Width}.");
            }
            ulong evaluationSeed = result.GetValue(seed) ?? config.Seed;
            LossBreakdown loss = Evaluation.NegativeElbo(checkpoint.Network, test, batchSize, evaluationSeed);
            string pixels = request.Binarize == Binarization.None ? "grey-level pixels" : "binarized pixels (fixed seed)";
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{splits.Name} test set, {loss.Count} images, {pixels}, model after {checkpoint.State.EpochsDone} epochs:"));
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"negative ELBO {loss.TotalPerImage:F3} nats/image = reconstruction {loss.ReconstructionPerImage:F3} + KL {loss.KlPerImage:F3}"));
            if (k is int samples)
            {
                var options = new InferenceOptions { IntraOpThreads = onnxThreads };
                LikelihoodEstimate estimate = ScoringProgress.Run(context.Console, context.Output, $"importance sampling, k = {samples}", test.Count,
                    progress => OnnxEvaluation.Run(checkpoint.Network, test, samples, evaluationSeed, options, progress));
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"importance-sampled NLL (k = {samples}): -log p(x) = {estimate.NegativeLogLikelihood} nats/image (mean ± standard error)"));
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"negative ELBO over the same draws {estimate.NegativeElbo} = reconstruction {estimate.Reconstruction.Mean:F3} + KL {estimate.Kl.Mean:F3}"));
                if (checkpoint.Network.Architecture.Output == Likelihood.Bernoulli && request.Binarize == Binarization.None)
                {
                    context.Output.WriteLine("note: grey-level pixels under a Bernoulli likelihood give a cross-entropy, not a likelihood; compare with published binarized-MNIST NLLs only with --binarize.");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
