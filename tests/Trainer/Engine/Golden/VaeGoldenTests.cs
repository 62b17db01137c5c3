// The whole conv VAE of ../shared/bench/torch_vae_ref.py (latent 16) and an MLP VAE against PyTorch 1.13: from the
// same initial weights, images and eps, the forward values, the two loss terms and every parameter gradient; then
// five Adam steps (lr 1e-3) with the same per-step eps, comparing the losses and the parameters afterwards.
// Tolerances: forward values and gradients differ only by float32 summation order, so a relative tolerance with an
// absolute floor scaled to each tensor's largest value (sums of thousands of terms cancel) covers them. After five
// Adam steps each parameter moves ~lr per step in the direction m / sqrt(v), which is ill-conditioned where a gradient
// is near zero; the floor there is a small fraction of lr. Measured differences are printed; the tolerances leave
// 5-30x headroom over them so that another summation order in the GEMM kernels does not fail the test.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Engine.Golden;

public class VaeGoldenTests
{
    private static TorchFixtures Torch => TorchFixtures.Instance;

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData("conv_vae", VaeArchitecture.Conv(1, 28, 28, 16)).SetArgDisplayNames("conv 1x28x28 latent 16 (torch_vae_ref.py)");
        yield return new TestCaseData("mlp_vae", VaeArchitecture.Mlp(1, 28, 28, 2, hidden: 32)).SetArgDisplayNames("mlp 784-32-2");
    }

    private static void CloseScaled(string label, ReadOnlySpan<float> actual, string name, double relative, double floorFraction)
    {
        float[] expected = Torch.Values(name);
        double largest = expected.Max(v => Math.Abs((double)v));
        TestTensors.AssertClose($"{label} (floor {floorFraction:E0} x max|torch| {largest:G3})", actual, expected, floorFraction * largest, relative);
    }

    [TestCaseSource(nameof(Cases))]
    public void ForwardLossesAndEveryGradientMatchPyTorch(string group, VaeArchitecture architecture)
    {
        TestContext.Out.WriteLine($"fixtures from torch {Torch.TorchVersion}");
        var network = VaeNetwork.Create(architecture);
        Torch.LoadParameters($"{group}/initial", network.Parameters);
        Tensor images = Torch.Tensor($"{group}/x");
        Tensor eps = Torch.Tensor($"{group}/eps");

        LossBreakdown loss = network.TrainStep(images, eps, 1f);

        double recon = Torch.Scalar($"{group}/recon"), kl = Torch.Scalar($"{group}/kl");
        TestContext.Out.WriteLine($"reconstruction: engine {loss.Reconstruction:R}, torch {recon:R}; KL: engine {loss.Kl:R}, torch {kl:R}");
        Assert.That(loss.Reconstruction, Is.EqualTo(recon).Within(1e-5 * recon), "reconstruction (BCE with logits, summed)");
        Assert.That(loss.Kl, Is.EqualTo(kl).Within(1e-5 * kl + 1e-5), "KL");
        double sigmoidBce = Torch.Scalar($"{group}/recon_sigmoid_bce");
        TestContext.Out.WriteLine($"the reference script's sigmoid + binary_cross_entropy gives {sigmoidBce:R}");
        Assert.That(loss.Reconstruction, Is.EqualTo(sigmoidBce).Within(1e-4 * sigmoidBce), "logits form equals the reference's probability form");

        (Tensor mu, Tensor logVar) = network.Encode(images);
        CloseScaled($"{group}/mu", mu.Span, $"{group}/mu", 1e-4, 1e-5);
        CloseScaled($"{group}/logvar", logVar.Span, $"{group}/logvar", 1e-4, 1e-5);
        CloseScaled($"{group}/logits", network.DecodeLogits(Torch.Tensor($"{group}/z")).Span, $"{group}/logits", 1e-4, 1e-5);

        foreach (Parameter p in network.Parameters)
        {
            CloseScaled($"d {p.Name}", p.Grad.Span, $"{group}/grad/{p.Name}", 1e-4, 1e-5);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void FiveAdamStepsMatchPyTorch(string group, VaeArchitecture architecture)
    {
        var network = VaeNetwork.Create(architecture);
        Torch.LoadParameters($"{group}/initial", network.Parameters);
        Tensor images = Torch.Tensor($"{group}/x");
        var adam = new Adam(network.Parameters, new AdamOptions(LearningRate: 1e-3));
        double[] torchLosses = Torch.ScalarList($"{group}/adam_losses");

        for (int step = 0; step < 5; step++)
        {
            LossBreakdown loss = network.TrainStep(images, Torch.Tensor($"{group}/eps_step{step}"), 1f);
            adam.Step();
            TestContext.Out.WriteLine($"step {step + 1}: loss engine {loss.Total:R}, torch {torchLosses[step]:R}, rel diff {Math.Abs(loss.Total - torchLosses[step]) / torchLosses[step]:E2}");
            Assert.That(loss.Total, Is.EqualTo(torchLosses[step]).Within(1e-5 * torchLosses[step]), $"loss at step {step + 1}");
        }
        foreach (Parameter p in network.Parameters)
        {
            float[] expected = Torch.Values($"{group}/after_adam/{p.Name}");
            // Absolute: 0.2% of one step's size (lr 1e-3); relative 1e-5.
            TestTensors.AssertClose($"{p.Name} after 5 Adam steps vs torch", p.Value.Span, expected, 2e-6, 1e-5);
        }
    }
}
