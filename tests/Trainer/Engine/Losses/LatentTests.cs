// The KL term and the reparameterisation trick: values against the formulas in double, gradients by finite
// differences of the full latent objective  sum(z * probe) + KL  with eps held fixed.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Losses;

namespace VaeOnnx.Tests.Trainer.Engine.Losses;

public class LatentTests
{
    [TestCase(1, 1)]
    [TestCase(3, 2)]
    [TestCase(4, 16)]
    [TestCase(5, 17)]
    public void KlMatchesTheClosedFormInDouble(int n, int latent)
    {
        var random = new RandomSource(51);
        Tensor mu = TestTensors.Uniform(random, -2, 2, n, latent);
        Tensor logVar = TestTensors.Uniform(random, -3, 2, n, latent);
        var kl = new GaussianKl();
        var perImage = new double[n];
        double total = kl.Forward(mu, logVar, perImage);

        for (int i = 0; i < n; i++)
        {
            double expected = 0;
            for (int j = 0; j < latent; j++)
            {
                double m = mu.Span[i * latent + j], lv = logVar.Span[i * latent + j];
                // KL of N(m, s^2) from N(0, 1) written as log(1/s) + (s^2 + m^2) / 2 - 1/2, an independent form.
                double s2 = Math.Exp(lv);
                expected += -0.5 * lv + 0.5 * (s2 + m * m) - 0.5;
            }
            Assert.That(perImage[i], Is.EqualTo(expected).Within(1e-9 * (1 + expected)), $"image {i}");
        }
        Assert.That(total, Is.EqualTo(perImage.Sum()).Within(1e-12 * (1 + total)));
    }

    [TestCase(1, 1)]
    [TestCase(3, 2)]
    [TestCase(4, 16)]
    [TestCase(5, 17)]
    public void ReparameterizationAndKlGradientsMatchFiniteDifferences(int n, int latent)
    {
        var random = new RandomSource(52);
        Tensor mu = TestTensors.Uniform(random, -2, 2, n, latent);
        Tensor logVar = TestTensors.Uniform(random, -3, 2, n, latent);
        Tensor eps = TestTensors.Uniform(random, -2, 2, n, latent);
        Tensor probe = TestTensors.Uniform(random, -1, 1, n, latent);
        const float klWeight = 0.7f;
        var reparam = new Reparameterization();
        var kl = new GaussianKl();

        reparam.Forward(mu, logVar, eps);
        reparam.Backward(probe);
        kl.Forward(mu, logVar);
        kl.Backward(klWeight);
        float[] dMu = new float[mu.Length], dLogVar = new float[mu.Length];
        for (int i = 0; i < mu.Length; i++)
        {
            dMu[i] = reparam.GradMu.Span[i] + kl.GradMu.Span[i];
            dLogVar[i] = reparam.GradLogVar.Span[i] + kl.GradLogVar.Span[i];
        }

        double Loss() => GradientCheck.Dot(reparam.Forward(mu, logVar, eps), probe) + klWeight * kl.Forward(mu, logVar);
        GradientCheck.Check($"z + KL dMu ({n}, {latent})", Loss, mu.Data, mu.Length, dMu, 0.01, 1e-3);
        GradientCheck.Check($"z + KL dLogVar ({n}, {latent})", Loss, logVar.Data, logVar.Length, dLogVar, 0.01, 1e-3);
    }

    [Test]
    public void SampleIsMuPlusStdTimesEpsAndNoiseComesFromTheSeed()
    {
        var random = new RandomSource(53);
        Tensor mu = TestTensors.Uniform(random, -2, 2, 3, 5);
        Tensor logVar = TestTensors.Uniform(random, -3, 2, 3, 5);
        var reparam = new Reparameterization();

        float[] z1 = TestTensors.Copy(reparam.Forward(mu, logVar, new RandomSource(7)));
        float[] eps = TestTensors.Copy(reparam.Epsilon);
        float[] z2 = TestTensors.Copy(reparam.Forward(mu, logVar, new RandomSource(7)));

        Assert.That(z2, Is.EqualTo(z1), "same seed, same sample");
        var expectedEps = new float[15];
        new RandomSource(7).FillGaussian(expectedEps);
        Assert.That(eps, Is.EqualTo(expectedEps));
        var expected = new double[15];
        for (int i = 0; i < 15; i++)
        {
            expected[i] = mu.Span[i] + Math.Exp(0.5 * logVar.Span[i]) * eps[i];
        }
        TestTensors.AssertClose("z = mu + exp(logvar / 2) eps", z1, expected, 1e-6, 1e-6);
    }
}
