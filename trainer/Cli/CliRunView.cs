// How the trainer's commands show a run (Runs/IRunView): the header of a training run, live bars on a terminal or
// plain lines otherwise (LiveProgress, PlainProgress), the export check, and scoring progress (ScoringProgress). One
// implementation for train, anomaly-demo and evaluate, so a run looks the same whichever command started it.
using System.Globalization;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Scoring;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Cli;

public sealed class CliRunView(CliContext context) : IRunView
{
    public void Started(TrainingRun run, TrainingLoop loop)
    {
        TextWriter output = context.Output;
        TrainingConfig c = loop.State.Config;
        DatasetSplits data = run.Data;
        string threads = EngineThreads.Count.ToString(CultureInfo.InvariantCulture);
        output.WriteLine($"model   {loop.Network.Architecture.Describe()} ({loop.Network.Parameters.Sum(p => (long)p.Value.Length):N0} parameters)");
        output.WriteLine($"data    {data.Name}: {data.Train.Count} training, {data.Test.Count} test images of {data.Train.Channels}x{data.Train.Height}x{data.Train.Width}" +
            (c.Data.Binarize != Binarization.None ? $", binarized ({c.Data.Binarize.ToString().ToLowerInvariant()})" : ""));
        foreach (string note in data.Notes)
        {
            output.WriteLine($"note    {note}");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"train   {c.Epochs} epochs, batch {c.BatchSize}, Adam lr {c.LearningRate}, beta {c.Beta}{(c.KlWarmupEpochs > 0 ? $" (warm-up {c.KlWarmupEpochs} epochs)" : "")}, seed {c.Seed}, {threads} threads"));
        output.WriteLine($"device  {run.Environment.Device.Describe()}{(loop.Backend.IsDevice ? $"; training set {loop.DataPlan.Describe()}" : "")}");
        output.WriteLine(run.IsResumed
            ? $"resume  {run.Folder}: {loop.State.EpochsDone} epochs done{(loop.State.MidEpoch ? $", continuing epoch {loop.State.EpochsDone + 1} at batch {loop.State.BatchesDone + 1}" : "")}"
            : $"run     {run.Folder}");
        output.Flush();
        output.WriteLine($"memory  about {MemoryEstimate.Gib(run.Memory.TotalBytes)} at most, of {MemoryEstimate.Gib(run.AvailableBytes)} available");
    }

    public TrainingOutcome Train(TrainingRun run, TrainingLoop loop)
    {
        string device = run.Environment.Device.Label;
        if (context.Console is not { } console)
        {
            return loop.Run(new PlainProgress(context.Output, device));
        }
        return LiveProgress.Create(console).Start(ctx => loop.Run(new LiveProgress(ctx, console, device)));
    }

    public void Checked(ParityReport parity) => context.Output.WriteLine(parity.ToString());

    public T Score<T>(string description, int total, Func<Action<int>, T> work) =>
        ScoringProgress.Run(context.Console, context.Output, description, total, work);

    /// <summary>Prints how training ended: the finished run's folder and files, the interruption (a resumable checkpoint was saved), or the divergence (an error line).</summary>
    public void Ended(TrainingResult result)
    {
        switch (result.Outcome.Kind)
        {
            case TrainingOutcomeKind.Diverged:
                context.Error.WriteLine($"error: {result.Outcome.Message}");
                break;
            case TrainingOutcomeKind.Interrupted:
                context.Output.WriteLine(result.Outcome.Message);
                break;
            default:
                context.Output.WriteLine($"run folder {result.Finished!.Folder}: {string.Join(", ", result.Finished.Files)}");
                break;
        }
    }

    /// <summary>The exit code of a training that ended so: 0, or Diverged (3), or Interrupted (130).</summary>
    public static int ExitCode(TrainingResult result) => result.Outcome.Kind switch
    {
        TrainingOutcomeKind.Diverged => ExitCodes.Diverged,
        TrainingOutcomeKind.Interrupted => ExitCodes.Interrupted,
        _ => ExitCodes.Success,
    };
}
