// Conv2d and ConvTranspose2d gradients against finite differences (their forward passes are compared with a direct
// double-precision convolution in Conv2dTests / ConvTranspose2dTests). Both are linear in x, W and b, so central
// differences are exact up to float rounding and a large step is safe.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Tests.Trainer.Engine.Layers;

public class ConvGradientCheckTests
{
    // (N, Cin, Cout, k, stride, padding, H, W)
    [TestCase(2, 3, 5, 3, 2, 1, 7, 6)]
    [TestCase(1, 1, 2, 4, 2, 1, 9, 11)]
    [TestCase(3, 2, 3, 1, 1, 0, 5, 3)]
    [TestCase(1, 4, 1, 3, 1, 2, 4, 5)]
    public void Conv2dGradientsMatchFiniteDifferences(int n, int cin, int cout, int k, int stride, int padding, int h, int w)
    {
        var layer = new Conv2d("conv", cin, cout, k, stride, padding);
        Check($"Conv2d({cin}->{cout}, k{k} s{stride} p{padding}) on {n}x{cin}x{h}x{w}", layer, n, cin, h, w, layer.Weight, layer.Bias);
    }

    // (N, Cin, Cout, k, stride, padding, output padding height, width, H, W)
    [TestCase(2, 3, 2, 4, 2, 1, 1, 0, 5, 4)]
    [TestCase(1, 2, 3, 3, 1, 0, 0, 0, 4, 3)]
    [TestCase(2, 1, 2, 4, 2, 1, 0, 1, 3, 3)]
    [TestCase(1, 3, 1, 3, 3, 1, 2, 1, 2, 3)]
    public void ConvTranspose2dGradientsMatchFiniteDifferences(int n, int cin, int cout, int k, int stride, int padding,
        int outputPaddingHeight, int outputPaddingWidth, int h, int w)
    {
        var layer = new ConvTranspose2d("deconv", cin, cout, k, stride, padding, outputPaddingHeight, outputPaddingWidth);
        Check($"ConvTranspose2d({cin}->{cout}, k{k} s{stride} p{padding} op({outputPaddingHeight},{outputPaddingWidth})) on {n}x{cin}x{h}x{w}",
            layer, n, cin, h, w, layer.Weight, layer.Bias);
    }

    [Test]
    public void RectangularOutputPaddingGivesPyTorchsSizes()
    {
        var layer = new ConvTranspose2d("deconv", 2, 1, 4, 2, 1, 1, 0);
        Tensor y = layer.Forward(new Tensor(1, 2, 7, 7));
        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { 1, 1, 15, 14 }));
        Assert.That((layer.OutputPaddingHeight, layer.OutputPaddingWidth), Is.EqualTo((1, 0)));
        Assert.That(Assert.Throws<InvalidOperationException>(() => _ = layer.OutputPadding)!.Message, Does.Contain("OutputPaddingWidth"));
        Assert.That(new ConvTranspose2d("d", 2, 1, 4, 2, 1, 1).OutputPadding, Is.EqualTo(1));
    }

    private static void Check(string label, Layer layer, int n, int cin, int h, int w, Parameter weight, Parameter bias)
    {
        var random = new RandomSource(121);
        layer.ResetParameters(random);
        Tensor x = TestTensors.Uniform(random, -1, 1, n, cin, h, w);
        Tensor y = layer.Forward(x);
        Tensor probe = TestTensors.Uniform(random, -1, 1, y.Shape.ToArray());
        float[] dX = TestTensors.Copy(layer.Backward(probe));
        float[] dWeight = TestTensors.Copy(weight.Grad);
        float[] dBias = TestTensors.Copy(bias.Grad);

        double Loss() => GradientCheck.Dot(layer.Forward(x), probe);
        GradientCheck.Check($"{label} dX", Loss, x.Data, x.Length, dX, 0.05, 1e-3);
        GradientCheck.Check($"{label} dWeight", Loss, weight.Value.Data, weight.Value.Length, dWeight, 0.05, 1e-3);
        GradientCheck.Check($"{label} dBias", Loss, bias.Value.Data, bias.Value.Length, dBias, 0.05, 1e-3);
    }
}
