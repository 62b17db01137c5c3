// ReLU, LeakyReLU and Sigmoid: forward against the formula in double, input gradients against finite differences,
// on lengths that hit every vector width's tail.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Tests.Trainer.Engine.Layers;

public class ActivationTests
{
    private static readonly int[] Lengths = [1, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129];

    public static IEnumerable<TestCaseData> Layers()
    {
        yield return new TestCaseData("Relu", (Func<Layer>)(() => new Relu()), (Func<double, double>)(x => Math.Max(x, 0)));
        yield return new TestCaseData("LeakyRelu(0.2)", (Func<Layer>)(() => new LeakyRelu(0.2f)), (Func<double, double>)(x => x > 0 ? x : 0.2 * x));
        yield return new TestCaseData("Sigmoid", (Func<Layer>)(() => new Sigmoid()), (Func<double, double>)(x => 1 / (1 + Math.Exp(-x))));
    }

    [TestCaseSource(nameof(Layers))]
    public void ForwardMatchesTheFormulaInDouble(string name, Func<Layer> create, Func<double, double> formula)
    {
        Layer layer = create();
        var random = new RandomSource(21);
        foreach (int length in Lengths)
        {
            Tensor x = TestTensors.Uniform(random, -6, 6, 1, length);
            Tensor y = layer.Forward(x);
            double[] expected = x.Span.ToArray().Select(v => formula(v)).ToArray();
            TestTensors.AssertClose($"{name} forward, length {length}", y.Span, expected, 1e-7, 1e-6);
        }
    }

    [TestCaseSource(nameof(Layers))]
    public void InputGradientMatchesFiniteDifferences(string name, Func<Layer> create, Func<double, double> formula)
    {
        Layer layer = create();
        var random = new RandomSource(22);
        foreach (int length in Lengths)
        {
            // Inputs stay at least 0.05 from 0, more than the 0.01 step, so no difference straddles the ReLU kink.
            Tensor x = TestTensors.AwayFromZero(random, 0.05f, 3f, 1, length);
            Tensor probe = TestTensors.Uniform(random, -1, 1, 1, length);
            layer.Forward(x);
            float[] dX = TestTensors.Copy(layer.Backward(probe));
            double Loss() => GradientCheck.Dot(layer.Forward(x), probe);
            GradientCheck.Check($"{name} dX, length {length}", Loss, x.Data, x.Length, dX, 0.01, 1e-3);
        }
    }

    [Test]
    public void ReluGradientAtZeroIsZeroAsInPyTorch()
    {
        var layer = new Relu();
        var x = new Tensor(1, 3);
        x.Span[1] = 1;
        layer.Forward(x);
        var probe = new Tensor(1, 3);
        probe.Span.Fill(1);
        Assert.That(layer.Backward(probe).Span.ToArray(), Is.EqualTo(new[] { 0f, 1f, 0f }));
    }

    [Test]
    public void ShapesArePreserved()
    {
        foreach (Layer layer in new Layer[] { new Relu(), new LeakyRelu(), new Sigmoid() })
        {
            Tensor y = layer.Forward(new Tensor(2, 3, 5, 7));
            Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { 2, 3, 5, 7 }), layer.GetType().Name);
            Assert.That(layer.Backward(new Tensor(2, 3, 5, 7)).Shape.ToArray(), Is.EqualTo(new[] { 2, 3, 5, 7 }), layer.GetType().Name);
        }
    }
}
