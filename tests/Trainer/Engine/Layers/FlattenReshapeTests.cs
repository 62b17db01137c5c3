// Flatten and Reshape: PyTorch's row-major flatten(1) / view(-1, C, H, W) index mapping, and gradients routed back.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Tests.Trainer.Engine.Layers;

public class FlattenReshapeTests
{
    [Test]
    public void FlattenIsRowMajorAndItsGradientHasTheInputShape()
    {
        var x = new Tensor(2, 3, 5, 7);
        for (int i = 0; i < x.Length; i++)
        {
            x.Span[i] = i;
        }
        var flatten = new Flatten();
        Tensor y = flatten.Forward(x);
        Assert.That(y.Shape.ToArray(), Is.EqualTo(new[] { 2, 105 }));
        // element (n, c, h, w) lands at column c*35 + h*7 + w of row n
        Assert.That(y.Span[1 * 105 + 2 * 35 + 4 * 7 + 6], Is.EqualTo(x.Span[((1 * 3 + 2) * 5 + 4) * 7 + 6]));

        var probe = new Tensor(2, 105);
        for (int i = 0; i < probe.Length; i++)
        {
            probe.Span[i] = -i;
        }
        Tensor dX = flatten.Backward(probe);
        Assert.That(dX.Shape.ToArray(), Is.EqualTo(new[] { 2, 3, 5, 7 }));
        Assert.That(dX.Span.ToArray(), Is.EqualTo(probe.Span.ToArray()));
    }

    [Test]
    public void ReshapeInvertsFlatten()
    {
        var random = new RandomSource(31);
        Tensor x = TestTensors.Uniform(random, -1, 1, 3, 64, 7, 7);
        var flatten = new Flatten();
        var reshape = new Reshape(64, 7, 7);
        Tensor back = reshape.Forward(flatten.Forward(x));
        Assert.That(back.Shape.ToArray(), Is.EqualTo(x.Shape.ToArray()));
        Assert.That(back.Span.ToArray(), Is.EqualTo(x.Span.ToArray()));
        Tensor dX = flatten.Backward(reshape.Backward(x));
        Assert.That(dX.Span.ToArray(), Is.EqualTo(x.Span.ToArray()));
    }

    [Test]
    public void ReshapeRejectsAFeatureCountThatDoesNotFit()
    {
        var reshape = new Reshape(64, 7, 7);
        var ex = Assert.Throws<ArgumentException>(() => reshape.Forward(new Tensor(4, 3000)));
        Assert.That(ex!.Message, Does.Contain("(N, 3136)").And.Contain("Tensor(4, 3000)"));
    }
}
