// An IRunView for tests: runs the loop and the scoring with no output, and records what it was shown.
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Runs;

public sealed class SilentView : IRunView
{
    public List<string> Seen { get; } = [];

    public void Started(TrainingRun run, TrainingLoop loop) => Seen.Add($"started {run.Folder}");

    public TrainingOutcome Train(TrainingRun run, TrainingLoop loop) => loop.Run(new PlainProgress(TextWriter.Null));

    public void Checked(ParityReport parity) => Seen.Add($"checked {parity.Passed}");

    public void Ended(TrainingResult result) => Seen.Add($"ended {result.Outcome.Kind}");

    public T Score<T>(string description, int total, Func<Action<int>, T> work)
    {
        Seen.Add($"scored {total}");
        return work(_ => { });
    }
}
