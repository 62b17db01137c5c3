// Layers, losses, the reparameterisation, Adam and clipping against PyTorch 1.13 (fixtures from make_torch_fixtures.py):
// outputs and every gradient, with the largest differences printed against explicit tolerances. The tolerances allow
// for float32 summation order (PyTorch's kernels and ours add the same terms in different orders).
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;
using VaeOnnx.Trainer.Engine.Losses;
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Tests.Trainer.Engine.Golden;

public class LayerGoldenTests
{
    private static TorchFixtures Torch => TorchFixtures.Instance;

    private static void Close(string name, Tensor actual, double absolute = 1e-6, double relative = 1e-5) =>
        TestTensors.AssertClose($"{name} vs torch", actual.Span, Torch.Values(name), absolute, relative);

    private static void Close(string name, ReadOnlySpan<float> actual, double absolute = 1e-6, double relative = 1e-5) =>
        TestTensors.AssertClose($"{name} vs torch", actual, Torch.Values(name), absolute, relative);

    private static void RunLayer(string group, Layer layer, Parameter? weight = null, Parameter? bias = null)
    {
        if (weight is not null)
        {
            Torch.Values($"{group}/weight").CopyTo(weight.Value.Span);
            Torch.Values($"{group}/bias").CopyTo(bias!.Value.Span);
        }
        Tensor y = layer.Forward(Torch.Tensor($"{group}/x"));
        Close($"{group}/y", y);
        Close($"{group}/gx", layer.Backward(Torch.Tensor($"{group}/gy")));
        if (weight is not null)
        {
            Close($"{group}/gweight", weight.Grad);
            Close($"{group}/gbias", bias!.Grad);
        }
    }

    [Test]
    public void Linear()
    {
        var layer = new Linear("fc", 13, 7);
        RunLayer("linear", layer, layer.Weight, layer.Bias);
    }

    [Test]
    public void Activations()
    {
        RunLayer("relu", new Relu());
        RunLayer("leaky_relu", new LeakyRelu(0.2f));
        RunLayer("sigmoid", new Sigmoid());
    }

    [Test]
    public void Conv2d()
    {
        var layer = new Conv2d("conv", 3, 5, 4, 2, 1);
        RunLayer("conv2d", layer, layer.Weight, layer.Bias);
    }

    [Test]
    public void ConvTranspose2dWithRectangularOutputPadding()
    {
        var layer = new ConvTranspose2d("deconv", 4, 3, 4, 2, 1, 1, 0);
        RunLayer("conv_transpose2d", layer, layer.Weight, layer.Bias);
    }

    [TestCase("bce_logits")]
    [TestCase("gaussian_nll")]
    [TestCase("mse")]
    public void ReconstructionLosses(string group)
    {
        ReconstructionLoss loss = group switch
        {
            "bce_logits" => new BernoulliNll(),
            "gaussian_nll" => new GaussianNll(Torch.Scalar("gaussian_nll/sigma")),
            _ => new SquaredError(),
        };
        Tensor prediction = Torch.Tensor($"{group}/prediction");
        var perImage = new double[prediction.Dim(0)];
        double total = loss.Forward(prediction, Torch.Tensor($"{group}/target"), perImage);
        Close($"{group}/per_image", perImage.Select(v => (float)v).ToArray(), 1e-4, 1e-6);
        double expected = Torch.Scalar($"{group}/total");
        TestContext.Out.WriteLine($"{group}/total: engine {total:R}, torch {expected:R}, diff {Math.Abs(total - expected):E2} (tolerance 1e-6 relative)");
        Assert.That(total, Is.EqualTo(expected).Within(1e-6 * Math.Abs(expected) + 1e-5));
        Close($"{group}/gprediction", loss.Backward());
    }

    [Test]
    public void KlAndReparameterization()
    {
        var kl = new GaussianKl();
        var perImage = new double[4];
        kl.Forward(Torch.Tensor("kl/mu"), Torch.Tensor("kl/logvar"), perImage);
        Close("kl/per_image", perImage.Select(v => (float)v).ToArray(), 1e-5, 1e-6);
        kl.Backward();
        Close("kl/gmu", kl.GradMu);
        Close("kl/glogvar", kl.GradLogVar);

        var reparam = new Reparameterization();
        Close("reparam/z", reparam.Forward(Torch.Tensor("reparam/mu"), Torch.Tensor("reparam/logvar"), Torch.Tensor("reparam/eps")));
        reparam.Backward(Torch.Tensor("reparam/gz"));
        Close("reparam/gmu", reparam.GradMu);
        Close("reparam/glogvar", reparam.GradLogVar);
    }

    [Test]
    public void AdamWithWeightDecayAndGradientClipping()
    {
        var p = new Parameter("p", 37);
        var q = new Parameter("q", 3, 5);
        Torch.Values("adam_wd/p_initial").CopyTo(p.Value.Span);
        Torch.Values("adam_wd/q_initial").CopyTo(q.Value.Span);
        var adam = new Adam([p, q], new AdamOptions(LearningRate: 0.01, Beta1: 0.8, Beta2: 0.99, Epsilon: 1e-6, WeightDecay: 0.1));
        for (int step = 0; step < 4; step++)
        {
            Torch.Values($"adam_wd/p_grad{step}").CopyTo(p.Grad.Span);
            Torch.Values($"adam_wd/q_grad{step}").CopyTo(q.Grad.Span);
            adam.Step();
        }
        Close("adam_wd/p_final", p.Value);
        Close("adam_wd/q_final", q.Value);

        var a = new Parameter("a", 7);
        var b = new Parameter("b", 2, 9);
        Torch.Values("clip/a_grad").CopyTo(a.Grad.Span);
        Torch.Values("clip/b_grad").CopyTo(b.Grad.Span);
        double norm = GradientClipping.ClipGlobalNorm([a, b], Torch.Scalar("clip/max_norm"));
        Assert.That(norm, Is.EqualTo(Torch.Scalar("clip/total_norm")).Within(1e-6 * norm));
        Close("clip/a_clipped", a.Grad);
        Close("clip/b_clipped", b.Grad);
    }
}
