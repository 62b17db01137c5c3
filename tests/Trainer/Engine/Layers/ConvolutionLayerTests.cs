// What ConvolutionLayer promises for both of its layers: the bits do not depend on the thread count (chunk partials are
// summed in chunk order), and Backward overwrites the gradients rather than accumulating, so a repeated step repeats
// exactly. Each case is big enough (37 images) to be cut into several chunks with a short last one.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Tests.Trainer.Engine.Layers;

public class ConvolutionLayerTests
{
    // (description, layer, input shape, output shape)
    private static readonly object[] Cases =
    [
        new object[] { "Conv2d(8->16, k4 s2 p1)", (Func<ConvolutionLayer>)(() => new Conv2d("c", 8, 16, 4, 2, 1)), new[] { 37, 8, 14, 14 }, new[] { 37, 16, 7, 7 } },
        new object[] { "ConvTranspose2d(16->8, k4 s2 p1)", (Func<ConvolutionLayer>)(() => new ConvTranspose2d("d", 16, 8, 4, 2, 1)), new[] { 37, 16, 7, 7 }, new[] { 37, 8, 14, 14 } },
        new object[] { "Conv2d(3->4, k3 s2 p1) on 7x6", (Func<ConvolutionLayer>)(() => new Conv2d("c", 3, 4, 3, 2, 1)), new[] { 37, 3, 7, 6 }, new[] { 37, 4, 4, 3 } },
        new object[] { "ConvTranspose2d(3->2, k3 s2 p1, output padding 1) on 5x6", (Func<ConvolutionLayer>)(() => new ConvTranspose2d("d", 3, 2, 3, 2, 1, 1)), new[] { 37, 3, 5, 6 }, new[] { 37, 2, 10, 12 } },
    ];

    [TestCaseSource(nameof(Cases))]
    [NonParallelizable]
    public void OneAndTwoThreadsGiveIdenticalBits(string description, Func<ConvolutionLayer> create, int[] inputShape, int[] outputShape)
    {
        var (layer, x, dy) = Setup(create, inputShape, outputShape, seed: 9);
        var results = new List<float[]>();
        int saved = EngineThreads.Count;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                EngineThreads.Count = threads;
                float[] y = layer.Forward(x).Span.ToArray();
                float[] dx = layer.Backward(dy).Span.ToArray();
                results.Add([.. y, .. dx, .. layer.Weight.Grad.Span, .. layer.Bias.Grad.Span]);
            }
        }
        finally
        {
            EngineThreads.Count = saved;
        }
        Assert.That(results[1], Is.EqualTo(results[0]), description);
    }

    [TestCaseSource(nameof(Cases))]
    public void BackwardOverwritesGradientsAndRepeatsExactly(string description, Func<ConvolutionLayer> create, int[] inputShape, int[] outputShape)
    {
        var (layer, x, dy) = Setup(create, inputShape, outputShape, seed: 7);
        layer.Forward(x);
        float[] dx1 = layer.Backward(dy).Span.ToArray();
        float[] dw1 = layer.Weight.Grad.Span.ToArray();
        float[] db1 = layer.Bias.Grad.Span.ToArray();
        Assert.That(dw1.Any(v => v != 0), Is.True, $"{description}: dWeight is all zeros");

        layer.Forward(x);
        float[] dx2 = layer.Backward(dy).Span.ToArray();

        Assert.That(dx2, Is.EqualTo(dx1), $"{description}: dX of a repeated step");
        Assert.That(layer.Weight.Grad.Span.ToArray(), Is.EqualTo(dw1), $"{description}: dWeight must be overwritten, not accumulated");
        Assert.That(layer.Bias.Grad.Span.ToArray(), Is.EqualTo(db1), $"{description}: dBias must be overwritten, not accumulated");
    }

    private static (ConvolutionLayer Layer, Tensor X, Tensor Dy) Setup(Func<ConvolutionLayer> create, int[] inputShape, int[] outputShape, ulong seed)
    {
        var random = new RandomSource(seed);
        ConvolutionLayer layer = create();
        layer.ResetParameters(random);
        var x = new Tensor(inputShape);
        random.FillUniform(x.Span, -1f, 1f);
        var dy = new Tensor(outputShape);
        random.FillUniform(dy.Span, -1f, 1f);
        return (layer, x, dy);
    }
}
