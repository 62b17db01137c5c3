// `evaluate --model RUN_DIR|CHECKPOINT`: the test-set negative ELBO of a trained model, split into reconstruction
// and KL, in nats per image (one sample of z per image, noise from a fixed seed). The estimator is a single choice
// today; importance-sampled NLL (--iw-samples) is meant to slot in beside it in Training/Evaluation.cs.
using System.CommandLine;
using System.Globalization;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

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
        var command = new Command("evaluate", "Test-set negative ELBO of a trained model (nats per image), split into reconstruction and KL")
        {
            model, data, batch, testLimit, seed,
        };
        CommandAction.Set(command, context, result =>
        {
            TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(TrainingCheckpoint.PathIn(result.GetValue(model)!));
            TrainingConfig config = checkpoint.State.Config;
            DatasetRequest request = config.Data with
            {
                DataFolder = result.GetValue(data) ?? config.Data.DataFolder,
                TestLimit = result.GetValue(testLimit) ?? config.Data.TestLimit,
            };
            int batchSize = result.GetValue(batch);
            if (batchSize < 1)
            {
                throw new CliUsageException($"--batch {batchSize} is not usable; give at least 1.");
            }
            DatasetSplits splits = DatasetLoader.Load(request, context.Downloader);
            ImageDataset test = splits.Test;
            VaeArchitecture a = checkpoint.Network.Architecture;
            if (test.Channels != a.Channels || test.Height != a.Height || test.Width != a.Width)
            {
                throw new CliUsageException($"The test images are {test.Channels}x{test.Height}x{test.Width}; the model takes {a.Channels}x{a.Height}x{a.Width}.");
            }
            LossBreakdown loss = Evaluation.NegativeElbo(checkpoint.Network, test, batchSize, result.GetValue(seed) ?? config.Seed);
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{splits.Name} test set, {loss.Count} images, model after {checkpoint.State.EpochsDone} epochs:"));
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"negative ELBO {loss.TotalPerImage:F3} nats/image = reconstruction {loss.ReconstructionPerImage:F3} + KL {loss.KlPerImage:F3}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
