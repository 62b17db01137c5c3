// loss.png: train and test negative ELBO (nats per image) per epoch, drawn with the runtime's LinePlot.
// With one epoch the curve is a single point per series; nothing is extrapolated.
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Trainer.Training;

using VaeOnnx.Trainer.Reports.Plotting;

namespace VaeOnnx.Trainer.Reports;

public static class LossCurve
{
    public static PixelImage Draw(IReadOnlyList<EpochMetrics> history)
    {
        double[] epochs = history.Select(m => (double)m.Epoch).ToArray();
        return new LinePlot { Title = "negative ELBO per image", XLabel = "epoch", YLabel = "nats", IntegerX = true }
            .AddSeries("train", epochs, history.Select(m => m.TrainLoss).ToArray())
            .AddSeries("test", epochs, history.Select(m => m.TestLoss).ToArray())
            .Render();
    }
}
