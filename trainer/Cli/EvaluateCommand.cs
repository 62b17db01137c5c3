// `evaluate --model RUN_DIR|CHECKPOINT`: the test-set negative ELBO of a trained model, split into reconstruction
// and KL, in nats per image (one sample of z per image, noise from a fixed seed), computed by the engine.
// With --iw-samples K it also reports the importance-weighted estimate of -log p(x) with K samples per image (and the
// -ELBO over the same K draws), computed through the runtime's VaeScorer.Score on the exported graphs, so the
// likelihood math exists once. --binarize evaluates on a binarized test set. The work is Runs/RunEvaluation's.
using System.CommandLine;
using System.Globalization;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Inference;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Scoring;

namespace VaeOnnx.Trainer.Cli;

public static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "Run folder (its checkpoint.bin) or a checkpoint file", Required = true };
        var data = new Option<string?>("--data") { Description = "Folder with the dataset's IDX files [default: as the run was trained]" };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass", DefaultValueFactory = _ => RunEvaluation.DefaultBatch };
        var testLimit = new Option<int?>("--test-limit") { Description = "Use only the first N test images" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the evaluation noise [default: the run's seed]" };
        var iwSamples = new Option<int?>("--iw-samples")
        {
            Description = $"Also estimate -log p(x) by importance sampling with K samples per image (IWAE bound; 5000 in the literature; 1 to {ScoreSamples.Max})",
            HelpName = "K",
        };
        var binarize = new Option<string?>("--binarize") { Description = "Evaluate on a test set binarized once with the fixed seed (dynamic or static), or grey (none) [default: as the run was trained]" };
        binarize.AcceptOnlyFromAmong([.. BinarizationNames.All]);
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads of ONNX Runtime for --iw-samples [default: one per core]" };
        var command = new Command("evaluate", "Test-set negative ELBO of a trained model (nats per image), split into reconstruction and KL; with --iw-samples, the importance-sampled NLL")
        {
            model, data, batch, testLimit, seed, iwSamples, binarize, threads,
        };
        CommandAction.Set(command, context, result =>
        {
            int? k = result.GetValue(iwSamples);
            int batchSize = result.GetValue(batch);
            RunEvaluation.CheckSettings(batchSize, k);
            int onnxThreads = ThreadOption.ForOnnxRuntime(result.GetValue(threads));
            var overrides = new DataOverrides
            {
                DataFolder = result.GetValue(data),
                TestLimit = result.GetValue(testLimit),
                Binarize = result.GetValue(binarize) is string b ? BinarizationNames.Parse(b) : null,
            };
            RunEvaluation evaluation = RunEvaluation.Open(result.GetValue(model)!, overrides, context.Downloader);
            foreach (string note in evaluation.Data.Notes)
            {
                context.Output.WriteLine($"note: {note}");
            }
            ulong evaluationSeed = evaluation.Seed(result.GetValue(seed));
            LossBreakdown loss = evaluation.NegativeElbo(batchSize, evaluationSeed);
            string pixels = evaluation.Request.Binarize == Binarization.None ? "grey-level pixels" : "binarized pixels (fixed seed)";
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{evaluation.Data.Name} test set, {loss.Count} images, {pixels}, model after {evaluation.Run.Checkpoint.State.EpochsDone} epochs:"));
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"negative ELBO {loss.TotalPerImage:F3} nats/image = reconstruction {loss.ReconstructionPerImage:F3} + KL {loss.KlPerImage:F3}"));
            if (k is int samples)
            {
                var options = new InferenceOptions { IntraOpThreads = onnxThreads };
                LikelihoodEstimate estimate = new CliRunView(context).Score($"importance sampling, k = {samples}", evaluation.Test.Count,
                    progress => evaluation.ImportanceSampled(samples, evaluationSeed, options, progress));
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"importance-sampled NLL (k = {samples}): -log p(x) = {estimate.NegativeLogLikelihood} nats/image (mean ± standard error)"));
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"negative ELBO over the same draws {estimate.NegativeElbo} = reconstruction {estimate.Reconstruction.Mean:F3} + KL {estimate.Kl.Mean:F3}"));
                if (evaluation.Run.Network.Architecture.Output == Likelihood.Bernoulli && evaluation.Request.Binarize == Binarization.None)
                {
                    context.Output.WriteLine("note: grey-level pixels under a Bernoulli likelihood give a cross-entropy, not a likelihood; compare with published binarized-MNIST NLLs only with --binarize.");
                }
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
