// What the training loop tells the person watching: epoch starts, running losses after each step, and epoch summaries. Two implementations: a live Spectre.Console display for terminals and plain lines otherwise.
namespace VaeOnnx.Trainer.Training;

/// <summary>Running averages of the current epoch so far, in nats per image.</summary>
public readonly record struct RunningLoss(double Loss, double Reconstruction, double Kl, int Images, double ImagesPerSecond);

public interface ITrainingProgress
{
    void EpochStarted(int epoch, int totalEpochs, int batchCount, int startBatch);

    void StepCompleted(int batchesDone, RunningLoss running);

    void Evaluating();

    void EpochCompleted(EpochMetrics metrics, int totalEpochs);
}
