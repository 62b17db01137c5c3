// The importance-weighted bound and the resconv architecture against PyTorch 1.13 (Fixtures/make_iwae_fixtures.py):
// from the same initial weights, binarized images and eps, the bound per image, the normalised importance weights and
// every parameter gradient of the K-sample objective (KL weight 1 and 0.5); for resconv also the forward values and
// every gradient of the one-sample negative ELBO. Tolerances as VaeGoldenTests': float32 summation order only, a
// relative tolerance with a floor scaled to each tensor's largest value; the measured differences are printed. The
// K-sample cases have a floor ten times higher (1e-4 of the largest value): the engine sums each sample's ~550 nats of
// reconstruction in float32, as it always has, which rounds it by ~1e-4 nats (the reference is float64 from the
// logits on), and the normalised weights move with differences of those sums, so the weights carry ~1e-5 of that
// rounding into every gradient (measured: at most 5e-5 of each tensor's largest value).
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Engine.Golden;

public class IwaeGoldenTests
{
    private static TorchFixtures Torch => TorchFixtures.Iwae;

    public static IEnumerable<TestCaseData> IwaeCases()
    {
        VaeArchitecture conv = VaeArchitecture.Conv(1, 28, 28, 10, convChannels: 8);
        yield return new TestCaseData("conv_iwae_k3", "conv_iwae_k3", conv).SetArgDisplayNames("conv 8 channels, latent 10, K 3");
        yield return new TestCaseData("conv_iwae_k3_beta", "conv_iwae_k3", conv).SetArgDisplayNames("conv 8 channels, latent 10, K 3, KL weight 0.5");
        yield return new TestCaseData("resconv_iwae_k4", "resconv_iwae_k4", ResConv).SetArgDisplayNames("resconv 8 channels, 1 block, latent 6, K 4");
    }

    private static VaeArchitecture ResConv => VaeArchitecture.ResConv(1, 28, 28, 6, residualBlocks: 1, convChannels: 8);

    private static void CloseScaled(string label, ReadOnlySpan<float> actual, string name, double relative, double floorFraction)
    {
        float[] expected = Torch.Values(name);
        double largest = expected.Max(v => Math.Abs((double)v));
        TestTensors.AssertClose($"{label} (floor {floorFraction:E0} x max|torch| {largest:G3})", actual, expected, floorFraction * largest, relative);
    }

    [TestCaseSource(nameof(IwaeCases))]
    public void BoundWeightsAndEveryGradientMatchPyTorch(string group, string initial, VaeArchitecture architecture)
    {
        TestContext.Out.WriteLine($"fixtures from torch {Torch.TorchVersion}");
        var network = VaeNetwork.Create(architecture);
        Torch.LoadParameters($"{initial}/initial", network.Parameters);
        int samples = (int)Torch.Scalar($"{group}/samples");
        float beta = (float)Torch.Scalar($"{group}/beta");

        LossBreakdown loss = network.TrainStepIwae(Torch.Tensor($"{group}/x"), Torch.Tensor($"{group}/eps"), samples, beta);

        double bound = Torch.Scalar($"{group}/bound_sum");
        TestContext.Out.WriteLine($"bound summed over the batch: engine {loss.Total:R}, torch {bound:R}");
        Assert.That(loss.Total, Is.EqualTo(bound).Within(1e-6 * bound), "the bound at KL weight 1");
        CloseScaled("weights", network.ImportanceWeights.Span, $"{group}/weights", 1e-4, 1e-4);
        foreach (Parameter p in network.Parameters)
        {
            CloseScaled($"d {p.Name}", p.Grad.Span, $"{group}/grad/{p.Name}", 1e-4, 1e-4);
        }
    }

    [Test]
    public void ResconvForwardAndElboGradientsMatchPyTorch()
    {
        const string group = "resconv_elbo";
        var network = VaeNetwork.Create(ResConv);
        Torch.LoadParameters($"{group}/initial", network.Parameters);
        Tensor images = Torch.Tensor($"{group}/x");

        LossBreakdown loss = network.TrainStep(images, Torch.Tensor($"{group}/eps"), 1f);

        double recon = Torch.Scalar($"{group}/recon"), kl = Torch.Scalar($"{group}/kl");
        TestContext.Out.WriteLine($"reconstruction: engine {loss.Reconstruction:R}, torch {recon:R}; KL: engine {loss.Kl:R}, torch {kl:R}");
        Assert.That(loss.Reconstruction, Is.EqualTo(recon).Within(1e-5 * recon));
        Assert.That(loss.Kl, Is.EqualTo(kl).Within(1e-5 * kl + 1e-5));
        foreach (Parameter p in network.Parameters)
        {
            CloseScaled($"d {p.Name}", p.Grad.Span, $"{group}/grad/{p.Name}", 1e-4, 1e-5);
        }
        (Tensor mu, Tensor logVar) = network.Encode(images);
        CloseScaled("mu", mu.Span, $"{group}/mu", 1e-4, 1e-5);
        CloseScaled("logvar", logVar.Span, $"{group}/logvar", 1e-4, 1e-5);
        CloseScaled("logits", network.DecodeLogits(Torch.Tensor($"{group}/z")).Span, $"{group}/logits", 1e-4, 1e-5);
    }
}
