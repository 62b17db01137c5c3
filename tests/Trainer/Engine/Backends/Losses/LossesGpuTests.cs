// The GPU's loss kernels against the CPU engine's (LossesCpu) through the loss classes: Bernoulli and Gaussian NLL
// (per-image values and gradients, at an image size that is not a multiple of the 256-thread group), the KL, the
// reparameterised sample, and the running loss sums.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Losses;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Losses;

public class LossesGpuTests
{
    public static IEnumerable<TestCaseData> Likelihoods()
    {
        yield return new TestCaseData((Func<ReconstructionLoss>)(() => new BernoulliNll())).SetArgDisplayNames("bernoulli");
        yield return new TestCaseData((Func<ReconstructionLoss>)(() => new GaussianNll(0.3))).SetArgDisplayNames("gaussian");
    }

    [TestCaseSource(nameof(Likelihoods))]
    public void ReconstructionLossesMatchTheCpu(Func<ReconstructionLoss> make)
    {
        ReconstructionLoss cpu = make(), gpu = make();
        gpu.Backend = TestGpu.Backend;
        var random = new RandomSource(41);
        Tensor prediction = TestTensors.Uniform(random, -6, 6, 3, 1, 17, 19);
        Tensor targets = TestTensors.Uniform(random, 0, 1, 3, 1, 17, 19);
        double[] perCpu = new double[3], perGpu = new double[3];
        double totalCpu = cpu.Forward(prediction, targets, perCpu);
        double totalGpu = gpu.Forward(TestGpu.Clone(prediction), TestGpu.Clone(targets), perGpu);
        double relative = Math.Abs(totalCpu - totalGpu) / Math.Abs(totalCpu);
        TestContext.Out.WriteLine($"loss {totalCpu} vs {totalGpu}: relative difference {relative:E2}");
        Assert.That(relative, Is.LessThan(1e-6));
        Assert.That(perGpu, Is.EqualTo(perCpu).Within(1e-5 * Math.Abs(totalCpu)));
        TestGpu.AssertRelative("gradient", cpu.Backward(0.7f), gpu.Backward(0.7f), 1e-6);
    }

    [Test]
    public void KlSampleAndRunningSumsMatchTheCpu()
    {
        var random = new RandomSource(42);
        Tensor mu = TestTensors.Uniform(random, -2, 2, 3, 5), logVar = TestTensors.Uniform(random, -3, 1, 3, 5);
        Tensor eps = new(3, 5);
        random.FillGaussian(eps.Span);

        var klCpu = new GaussianKl();
        var klGpu = new GaussianKl { Backend = TestGpu.Backend };
        double[] perCpu = new double[3], perGpu = new double[3];
        double cpuTotal = klCpu.Forward(mu, logVar, perCpu);
        double gpuTotal = klGpu.Forward(TestGpu.Clone(mu), TestGpu.Clone(logVar), perGpu);
        Assert.That(gpuTotal, Is.EqualTo(cpuTotal).Within(1e-6 * Math.Abs(cpuTotal)));
        klCpu.Backward(0.4f);
        klGpu.Backward(0.4f);
        TestGpu.AssertRelative("dMu (KL)", klCpu.GradMu, klGpu.GradMu, 1e-7);
        TestGpu.AssertRelative("dLogVar (KL)", klCpu.GradLogVar, klGpu.GradLogVar, 1e-6);

        var sampleCpu = new Reparameterization();
        var sampleGpu = new Reparameterization { Backend = TestGpu.Backend };
        TestGpu.AssertRelative("z", sampleCpu.Forward(mu, logVar, eps), sampleGpu.Forward(TestGpu.Clone(mu), TestGpu.Clone(logVar), TestGpu.Clone(eps)), 1e-6);
        Tensor dZ = TestTensors.Uniform(random, -1, 1, 3, 5);
        sampleCpu.Backward(dZ);
        sampleGpu.Backward(TestGpu.Clone(dZ));
        TestGpu.AssertRelative("dMu (sample)", sampleCpu.GradMu, sampleGpu.GradMu, 0);
        TestGpu.AssertRelative("dLogVar (sample)", sampleCpu.GradLogVar, sampleGpu.GradLogVar, 1e-6);

        var sumsCpu = new LossValues(2);
        var sumsGpu = new LossValues(2);
        sumsCpu.Span[0] = sumsGpu.Span[0] = 10;
        CpuBackend.Instance.AccumulateLoss(klCpu.PerImage, klCpu.PerImage, sumsCpu);
        TestGpu.Backend.AccumulateLoss(klGpu.PerImage, klGpu.PerImage, sumsGpu);
        Assert.That(sumsGpu.Span.ToArray(), Is.EqualTo(sumsCpu.Span.ToArray()).Within(1e-6 * (10 + 2 * Math.Abs(cpuTotal))));
    }
}
