// `evaluate`'s use case: a trained run's test-set negative ELBO computed by the engine (Training/Evaluation), and on
// request the importance-weighted -log p(x) computed through the runtime's scorer on the exported graphs
// (Scoring/OnnxEvaluation), both on the run's test data (RunFolder, with the command's DataOverrides).
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Inference;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Scoring;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Runs;

public sealed class RunEvaluation
{
    /// <summary>Images per forward pass of the negative ELBO when the caller gives none.</summary>
    public const int DefaultBatch = 256;

    private RunEvaluation(RunFolder run, DatasetRequest request, DatasetSplits data)
    {
        Run = run;
        Request = request;
        Data = data;
    }

    public RunFolder Run { get; }

    /// <summary>The data request evaluated: the run's, with the overrides.</summary>
    public DatasetRequest Request { get; }

    public DatasetSplits Data { get; }

    public ImageDataset Test => Data.Test;

    /// <summary>
    /// Throws a CliUsageException naming the option when <paramref name="batch"/> or <paramref name="importanceSamples"/>
    /// cannot work; call before Open, so a bad option fails before anything is read.
    /// </summary>
    public static void CheckSettings(int batch, int? importanceSamples)
    {
        if (importanceSamples is int k && ScoreSamples.Problem(k, "--iw-samples") is string problem)
        {
            throw new CliUsageException(problem);
        }
        if (batch < 1)
        {
            throw new CliUsageException($"--batch {batch} is not usable; give at least 1.");
        }
    }

    /// <summary>Opens the run and loads its test data with <paramref name="overrides"/>; throws when the images do not fit the model.</summary>
    public static RunEvaluation Open(string runFolderOrCheckpoint, DataOverrides overrides, DatasetDownloader? downloader)
    {
        RunFolder run = RunFolder.Open(runFolderOrCheckpoint);
        DatasetRequest request = run.DataRequest(overrides);
        DatasetSplits data = DatasetLoader.Load(request, downloader);
        VaeArchitecture a = run.Network.Architecture;
        ImageDataset test = data.Test;
        if (test.Channels != a.Channels || test.Height != a.Height || test.Width != a.Width)
        {
            throw new CliUsageException($"The test images are {test.Channels}x{test.Height}x{test.Width}; the model takes {a.Channels}x{a.Height}x{a.Width}.");
        }
        return new RunEvaluation(run, request, data);
    }

    /// <summary>The seed of the evaluation noise: the one given, else the run's.</summary>
    public ulong Seed(ulong? given) => given ?? Run.Config.Seed;

    /// <summary>The test-set negative ELBO (one draw of z per image), in nats, by the engine.</summary>
    public LossBreakdown NegativeElbo(int batch, ulong seed) => Evaluation.NegativeElbo(Run.Network, Test, batch, seed);

    /// <summary>The importance-weighted -log p(x) with k = <paramref name="samples"/> per image, by the runtime's scorer; <paramref name="progress"/> gets the images done.</summary>
    public LikelihoodEstimate ImportanceSampled(int samples, ulong seed, InferenceOptions options, Action<int>? progress = null) =>
        OnnxEvaluation.Run(Run.Network, Test, samples, seed, options, progress);
}
