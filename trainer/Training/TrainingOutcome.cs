// How a call to TrainingLoop.Run ended, and what the caller should tell the user.
namespace VaeOnnx.Trainer.Training;

public enum TrainingOutcomeKind
{
    /// <summary>Every epoch ran; the last checkpoint holds the final weights.</summary>
    Completed,

    /// <summary>A stop was requested; a resumable checkpoint was saved where the run stopped.</summary>
    Interrupted,

    /// <summary>The loss or the weights became NaN/Inf; the last good checkpoint was left as it was.</summary>
    Diverged,
}

public sealed record TrainingOutcome(TrainingOutcomeKind Kind, string Message);
