// Linear: forward against a double-precision loop of the formula, every gradient against finite differences.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Tests.Trainer.Engine.Layers;

public class LinearTests
{
    // Sizes are odd and cross the 4/8/16-wide vector tails.
    [TestCase(1, 1, 1)]
    [TestCase(3, 7, 5)]
    [TestCase(4, 17, 33)]
    [TestCase(2, 65, 9)]
    [TestCase(5, 31, 16)]
    public void ForwardMatchesTheFormulaInDouble(int n, int inFeatures, int outFeatures)
    {
        var random = new RandomSource(11);
        var layer = new Linear("fc", inFeatures, outFeatures);
        layer.ResetParameters(random);
        Tensor x = TestTensors.Uniform(random, -1, 1, n, inFeatures);

        Tensor y = layer.Forward(x);

        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { n, outFeatures }));
        var expected = new double[n * outFeatures];
        ReadOnlySpan<float> w = layer.Weight.Value.Span, b = layer.Bias.Value.Span, xs = x.Span;
        for (int i = 0; i < n; i++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = b[o];
                for (int k = 0; k < inFeatures; k++)
                {
                    sum += (double)xs[i * inFeatures + k] * w[o * inFeatures + k];
                }
                expected[i * outFeatures + o] = sum;
            }
        }
        TestTensors.AssertClose($"Linear({inFeatures}->{outFeatures}) forward, N={n}", y.Span, expected, 1e-6, 1e-5);
    }

    [TestCase(1, 1, 1)]
    [TestCase(3, 7, 5)]
    [TestCase(4, 17, 33)]
    [TestCase(2, 65, 9)]
    public void GradientsMatchFiniteDifferences(int n, int inFeatures, int outFeatures)
    {
        var random = new RandomSource(12);
        var layer = new Linear("fc", inFeatures, outFeatures);
        layer.ResetParameters(random);
        Tensor x = TestTensors.Uniform(random, -1, 1, n, inFeatures);
        Tensor probe = TestTensors.Uniform(random, -1, 1, n, outFeatures);

        layer.Forward(x);
        float[] dX = TestTensors.Copy(layer.Backward(probe));
        float[] dWeight = TestTensors.Copy(layer.Weight.Grad);
        float[] dBias = TestTensors.Copy(layer.Bias.Grad);

        // The output is linear in x, W and b, so central differences are exact up to float rounding: a large step is safe.
        double Loss() => GradientCheck.Dot(layer.Forward(x), probe);
        string shape = $"Linear({inFeatures}->{outFeatures}), N={n}";
        GradientCheck.Check($"{shape} dX", Loss, x.Data, x.Length, dX, 0.05, 1e-3);
        GradientCheck.Check($"{shape} dWeight", Loss, layer.Weight.Value.Data, layer.Weight.Value.Length, dWeight, 0.05, 1e-3);
        GradientCheck.Check($"{shape} dBias", Loss, layer.Bias.Value.Data, layer.Bias.Value.Length, dBias, 0.05, 1e-3);
    }

    [Test]
    public void BackwardOverwritesGradientsAndSkipsTheInputGradientWhenNotNeeded()
    {
        var random = new RandomSource(13);
        var layer = new Linear("fc", 6, 3) { NeedsInputGradient = false };
        layer.ResetParameters(random);
        Tensor x = TestTensors.Uniform(random, -1, 1, 4, 6);
        Tensor probe = TestTensors.Uniform(random, -1, 1, 4, 3);

        layer.Forward(x);
        layer.Backward(probe);
        float[] first = TestTensors.Copy(layer.Weight.Grad);
        layer.Forward(x);
        Tensor dX = layer.Backward(probe);

        Assert.That(layer.Weight.Grad.Span.ToArray(), Is.EqualTo(first), "a second backward must overwrite, not accumulate");
        Assert.That(dX.Length, Is.Zero);
    }

    [Test]
    public void WrongInputShapeIsRejectedWithTheShapes()
    {
        var layer = new Linear("encoder.fc1", 784, 400);
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(2, 1, 28, 28)));
        Assert.That(ex!.Message, Does.Contain("(N, 784)").And.Contain("Tensor(2, 1, 28, 28)"));
    }

    [Test]
    public void ParametersAreNamedAndInitialisedWithinPyTorchsBound()
    {
        var layer = new Linear("decoder.fc", 16, 3136);
        layer.ResetParameters(new RandomSource(1));
        Assert.That(layer.Parameters.Select(p => p.Name), Is.EqualTo(new[] { "decoder.fc.weight", "decoder.fc.bias" }));
        Assert.That(layer.Weight.Value.Shape.ToArray(), Is.EqualTo(new[] { 3136, 16 }));
        float bound = 1f / MathF.Sqrt(16);
        Assert.That(layer.Weight.Value.Span.ToArray(), Has.All.InRange(-bound, bound));
        Assert.That(layer.Bias.Value.Span.ToArray(), Has.All.InRange(-bound, bound));
    }
}
