// latent-scatter.png: the posterior means of the test images in a 2-D latent space, coloured by label, drawn with
// the runtime's ScatterPlot. Only for latent size 2; it does not project higher-dimensional latents.
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Trainer.Reports.Plotting;

namespace VaeOnnx.Trainer.Reports;

public static class LatentScatter
{
    /// <summary><paramref name="means"/> is (N, 2) row-major.</summary>
    public static PixelImage Draw(float[] means, int[] labels, IReadOnlyList<string> labelNames)
    {
        if (means.Length != 2 * labels.Length)
        {
            throw new ArgumentException($"Need (N, 2) means for {labels.Length} labels; got {means.Length} values.", nameof(means));
        }
        double[] x = new double[labels.Length], y = new double[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            x[i] = means[2 * i];
            y[i] = means[2 * i + 1];
        }
        return new ScatterPlot { Title = "test images: posterior mean of z", XLabel = "z1", YLabel = "z2", PointRadius = 1, ClassName = c => labelNames[c] }
            .AddPoints(x, y, labels)
            .Render();
    }
}
