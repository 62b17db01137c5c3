// Conv2d forward and backward against the direct double-precision convolution, over odd sizes, strides and paddings.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;
using static VaeOnnx.Tests.Trainer.Engine.Layers.DirectConvolution;

namespace VaeOnnx.Tests.Trainer.Engine.Layers;

public class Conv2dTests
{
    private const double RelativeTolerance = 2e-5;

    // (batch, Cin, Cout, k, stride, padding, H, W)
    private static readonly object[] Cases =
    [
        new object[] { 1, 1, 1, 1, 1, 0, 1, 1 },
        new object[] { 2, 1, 3, 3, 1, 1, 5, 7 },
        new object[] { 3, 2, 5, 4, 2, 1, 28, 28 },
        new object[] { 2, 3, 4, 4, 2, 1, 9, 11 },
        new object[] { 1, 4, 7, 3, 2, 0, 13, 10 },
        new object[] { 2, 5, 3, 2, 1, 2, 6, 3 },
        new object[] { 1, 3, 2, 5, 3, 2, 17, 12 },
        new object[] { 2, 32, 8, 4, 2, 1, 14, 14 },
        new object[] { 1, 2, 33, 3, 1, 1, 8, 8 },
        new object[] { 1, 2, 2, 3, 2, 4, 2, 3 },
        new object[] { 13, 2, 8, 4, 2, 1, 12, 12 }, // several images per chunk, a short last chunk
    ];

    [TestCaseSource(nameof(Cases))]
    public void ForwardAndBackwardMatchDirectConvolution(int batch, int cin, int cout, int k, int stride, int padding, int h, int w)
    {
        var random = new RandomSource((ulong)(batch * 1000 + cin * 100 + cout * 10 + k + h * w));
        var layer = new Conv2d("conv", cin, cout, k, stride, padding);
        layer.ResetParameters(random);
        random.FillUniform(layer.Bias.Value.Span, -1f, 1f); // PyTorch's bias bound is tiny for wide layers; make it visible.
        var x = new Tensor(batch, cin, h, w);
        random.FillUniform(x.Span, -1f, 1f);
        int ho = Conv2d.OutputSize(h, k, stride, padding), wo = Conv2d.OutputSize(w, k, stride, padding);
        var dy = new Tensor(batch, cout, ho, wo);
        random.FillUniform(dy.Span, -1f, 1f);

        Tensor y = layer.Forward(x);
        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { batch, cout, ho, wo }));
        Tensor dx = layer.Backward(dy);

        var g = new Geometry(batch, cin, cout, k, stride, padding);
        var expected = DirectConvolution.Convolve(g, x.Span.ToArray(), h, w, layer.Weight.Value.Span.ToArray(),
            layer.Bias.Value.Span.ToArray(), dy.Span.ToArray(), ho, wo);
        Check("y", y.Span, expected.Y);
        Check("dX", dx.Span, expected.DX);
        Check("dWeight", layer.Weight.Grad.Span, expected.DW);
        Check("dBias", layer.Bias.Grad.Span, expected.DB);
    }

    [Test]
    public void SkipsInputGradientWhenNotNeeded()
    {
        var random = new RandomSource(3);
        var layer = new Conv2d("c", 1, 4, 4, 2, 1) { NeedsInputGradient = false };
        layer.ResetParameters(random);
        var x = new Tensor(2, 1, 8, 8);
        random.FillUniform(x.Span, -1f, 1f);
        var dy = new Tensor(2, 4, 4, 4);
        random.FillUniform(dy.Span, -1f, 1f);
        layer.Forward(x);
        Assert.That(layer.Backward(dy).Length, Is.Zero);
        var expected = DirectConvolution.Convolve(new Geometry(2, 1, 4, 4, 2, 1), x.Span.ToArray(), 8, 8,
            layer.Weight.Value.Span.ToArray(), layer.Bias.Value.Span.ToArray(), dy.Span.ToArray(), 4, 4);
        Check("dWeight", layer.Weight.Grad.Span, expected.DW);
    }

    [Test]
    public void OutputSizeFollowsPyTorch()
    {
        Assert.That(Conv2d.OutputSize(28, 4, 2, 1), Is.EqualTo(14));
        Assert.That(Conv2d.OutputSize(14, 4, 2, 1), Is.EqualTo(7));
        Assert.That(Conv2d.OutputSize(7, 3, 2, 0), Is.EqualTo(3));
        Assert.That(Conv2d.OutputSize(1, 3, 1, 1), Is.EqualTo(1));
        Assert.Throws<ArgumentException>(() => Conv2d.OutputSize(2, 5, 1, 1));
    }

    [Test]
    public void RejectsWrongInputShapeWithTheExpectedShape()
    {
        var layer = new Conv2d("c", 3, 4, 3);
        var error = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(2, 2, 5, 5)));
        Assert.That(error!.Message, Does.Contain("(N, 3, H, W)").And.Contain("Tensor(2, 2, 5, 5)"));
        Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(3, 5, 5)));
        Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(1, 3, 2, 2)), "input smaller than the kernel");
    }

    [Test]
    public void ResetParametersUsesPyTorchFanIn()
    {
        var layer = new Conv2d("enc.conv1", 2, 64, 3);
        layer.ResetParameters(new RandomSource(1));
        Assert.That(layer.Weight.Name, Is.EqualTo("enc.conv1.weight"));
        Assert.That(layer.Bias.Name, Is.EqualTo("enc.conv1.bias"));
        Assert.That(layer.Weight.Value.Shape.ToArray(), Is.EqualTo(new[] { 64, 2, 3, 3 }));
        double bound = 1 / Math.Sqrt(2 * 3 * 3);
        float maxAbs = layer.Weight.Value.Span.ToArray().Max(MathF.Abs);
        Assert.That(maxAbs, Is.LessThanOrEqualTo(bound).And.GreaterThan(0.95 * bound), "weights fill U(-1/sqrt(fanIn), +)");
    }

    internal static void Check(string what, ReadOnlySpan<float> actual, double[] expected)
    {
        var (maxDiff, tolerance) = Compare(actual, expected, RelativeTolerance);
        TestContext.Out.WriteLine($"{what}: max |diff| {maxDiff:E2} (tolerance {tolerance:E2})");
        Assert.That(maxDiff <= tolerance, Is.True, $"{what}: max |diff| {maxDiff:E3} exceeds {tolerance:E3}");
    }
}
