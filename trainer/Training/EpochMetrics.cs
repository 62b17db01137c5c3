// One row of metrics.csv / metrics.json: the losses of one epoch in nats per image, and its timing.
// Train values average the training steps of the epoch (one sample of z per image, weights changing as it goes);
// test values are one pass over the test split after the epoch, with a fixed noise seed.
namespace VaeOnnx.Trainer.Training;

public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainReconstruction,
    double TrainKl,
    double TestLoss,
    double TestReconstruction,
    double TestKl,
    double KlWeight,
    double Seconds,
    double ImagesPerSecond);
