// ConvTranspose2d forward and backward against the direct double-precision scatter, incl. output padding.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;
using static VaeOnnx.Tests.Trainer.Engine.Layers.DirectConvolution;

namespace VaeOnnx.Tests.Trainer.Engine.Layers;

public class ConvTranspose2dTests
{
    // (batch, Cin, Cout, k, stride, padding, outputPadding, H, W)
    private static readonly object[] Cases =
    [
        new object[] { 1, 1, 1, 1, 1, 0, 0, 1, 1 },
        new object[] { 2, 3, 2, 3, 1, 1, 0, 5, 7 },
        new object[] { 2, 4, 3, 4, 2, 1, 0, 7, 7 },
        new object[] { 3, 8, 1, 4, 2, 1, 0, 14, 14 },
        new object[] { 2, 3, 4, 3, 2, 1, 1, 5, 6 },
        new object[] { 1, 2, 5, 5, 3, 2, 2, 4, 3 },
        new object[] { 2, 5, 3, 2, 2, 0, 1, 3, 4 },
        new object[] { 1, 33, 2, 3, 1, 0, 0, 4, 5 },
        new object[] { 2, 2, 3, 3, 2, 0, 0, 1, 1 },
        new object[] { 1, 3, 3, 5, 1, 2, 0, 9, 8 },
        new object[] { 13, 8, 2, 4, 2, 1, 0, 6, 6 }, // several images per chunk, a short last chunk
    ];

    [TestCaseSource(nameof(Cases))]
    public void ForwardAndBackwardMatchDirectScatter(
        int batch, int cin, int cout, int k, int stride, int padding, int outputPadding, int h, int w)
    {
        var random = new RandomSource((ulong)(batch * 1000 + cin * 100 + cout * 10 + k + h * w + outputPadding));
        var layer = new ConvTranspose2d("deconv", cin, cout, k, stride, padding, outputPadding);
        layer.ResetParameters(random);
        random.FillUniform(layer.Bias.Value.Span, -1f, 1f);
        var x = new Tensor(batch, cin, h, w);
        random.FillUniform(x.Span, -1f, 1f);
        int ho = ConvTranspose2d.OutputSize(h, k, stride, padding, outputPadding);
        int wo = ConvTranspose2d.OutputSize(w, k, stride, padding, outputPadding);
        var dy = new Tensor(batch, cout, ho, wo);
        random.FillUniform(dy.Span, -1f, 1f);

        Tensor y = layer.Forward(x);
        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { batch, cout, ho, wo }));
        Tensor dx = layer.Backward(dy);

        var expected = DirectConvolution.ConvolveTransposed(new Geometry(batch, cin, cout, k, stride, padding),
            x.Span.ToArray(), h, w, layer.Weight.Value.Span.ToArray(), layer.Bias.Value.Span.ToArray(),
            dy.Span.ToArray(), ho, wo);
        Conv2dTests.Check("y", y.Span, expected.Y);
        Conv2dTests.Check("dX", dx.Span, expected.DX);
        Conv2dTests.Check("dWeight", layer.Weight.Grad.Span, expected.DW);
        Conv2dTests.Check("dBias", layer.Bias.Grad.Span, expected.DB);
    }

    [Test]
    public void SkipsInputGradientWhenNotNeeded()
    {
        var random = new RandomSource(5);
        var layer = new ConvTranspose2d("d", 3, 2, 4, 2, 1) { NeedsInputGradient = false };
        layer.ResetParameters(random);
        var x = new Tensor(2, 3, 4, 5);
        random.FillUniform(x.Span, -1f, 1f);
        var dy = new Tensor(2, 2, 8, 10);
        random.FillUniform(dy.Span, -1f, 1f);
        layer.Forward(x);
        Assert.That(layer.Backward(dy).Length, Is.Zero);
        var expected = DirectConvolution.ConvolveTransposed(new Geometry(2, 3, 2, 4, 2, 1), x.Span.ToArray(), 4, 5,
            layer.Weight.Value.Span.ToArray(), layer.Bias.Value.Span.ToArray(), dy.Span.ToArray(), 8, 10);
        Conv2dTests.Check("dWeight", layer.Weight.Grad.Span, expected.DW);
    }

    [Test]
    public void OutputSizeFollowsPyTorch()
    {
        Assert.That(ConvTranspose2d.OutputSize(7, 4, 2, 1, 0), Is.EqualTo(14));
        Assert.That(ConvTranspose2d.OutputSize(14, 4, 2, 1, 0), Is.EqualTo(28));
        Assert.That(ConvTranspose2d.OutputSize(3, 3, 2, 1, 1), Is.EqualTo(6));
        Assert.Throws<ArgumentException>(() => ConvTranspose2d.OutputSize(1, 1, 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2d("d", 1, 1, 3, 2, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvTranspose2d("d", 1, 1, 3, 1, 0, 1));
    }

    [Test]
    public void RejectsWrongShapes()
    {
        var layer = new ConvTranspose2d("d", 4, 2, 4, 2, 1);
        var error = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(1, 3, 7, 7)));
        Assert.That(error!.Message, Does.Contain("(N, 4, H, W)"));
        layer.Forward(new Tensor(1, 4, 7, 7));
        error = Assert.Throws<ArgumentException>(() => layer.Backward(new Tensor(1, 2, 7, 7)));
        Assert.That(error!.Message, Does.Contain("(1, 2, 14, 14)"));
    }

    [Test]
    public void ResetParametersUsesPyTorchFanInOfOutputChannels()
    {
        var layer = new ConvTranspose2d("dec.d1", 64, 2, 4, 2, 1);
        layer.ResetParameters(new RandomSource(2));
        Assert.That(layer.Weight.Value.Shape.ToArray(), Is.EqualTo(new[] { 64, 2, 4, 4 }));
        double bound = 1 / Math.Sqrt(2 * 4 * 4); // weight.size(1) * k * k = Cout * k * k
        float maxAbs = layer.Weight.Value.Span.ToArray().Max(MathF.Abs);
        Assert.That(maxAbs, Is.LessThanOrEqualTo(bound).And.GreaterThan(0.95 * bound));
    }
}
