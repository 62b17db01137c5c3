// What a person sees of a use case while it works, supplied by whoever started it: the CLI prints a header, shows live
// bars on a terminal or plain lines otherwise, and prints the export check; a test can watch silently. The use cases
// (TrainingRun.Train, AnomalyDemo.Run) decide what happens and when; a view only shows it.
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Runs;

public interface IRunView
{
    /// <summary>The run is prepared and its loop made (config.json written), before the first step.</summary>
    void Started(TrainingRun run, TrainingLoop loop);

    /// <summary>Runs <paramref name="loop"/> to its end while showing its progress; returns how it ended.</summary>
    TrainingOutcome Train(TrainingRun run, TrainingLoop loop);

    /// <summary>The exported graphs were checked against the network (before they are installed when they pass).</summary>
    void Checked(ParityReport parity);

    /// <summary>Training ended: every epoch ran and the run is finished, or it was interrupted, or it diverged.</summary>
    void Ended(TrainingResult result);

    /// <summary>Runs a scoring pass over <paramref name="total"/> images while showing its progress; the work reports the images done.</summary>
    T Score<T>(string description, int total, Func<Action<int>, T> work);
}
