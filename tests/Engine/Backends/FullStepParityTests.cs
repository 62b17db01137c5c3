// A whole training step on the GPU backend (ILGPU's CPU accelerator) against the CPU backend, for the four networks
// the issue names: the loss and every parameter gradient agree to 1e-5 relative (max |a - b| / max |a| per tensor,
// printed). Also: a few Adam steps on the GPU twice give the same bits, and a checkpoint written from the GPU backend
// resumes on the CPU backend (and the reverse) with the same next step.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Engine.Serialization;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Engine.Backends;

public class FullStepParityTests
{
    private const double Tolerance = 1e-5;

    public static IEnumerable<TestCaseData> Networks()
    {
        yield return new TestCaseData(VaeArchitecture.Conv(1, 28, 28, 16), 2).SetArgDisplayNames("conv 28x28 grey");
        yield return new TestCaseData(VaeArchitecture.Conv(3, 64, 64, 16), 1).SetArgDisplayNames("conv 64x64 rgb");
        yield return new TestCaseData(VaeArchitecture.Conv(1, 45, 30, 8, OutputDistribution.Gaussian), 2).SetArgDisplayNames("conv 45x30 gaussian");
        yield return new TestCaseData(VaeArchitecture.Mlp(1, 28, 28), 4).SetArgDisplayNames("mlp 784-400-2");
    }

    [TestCaseSource(nameof(Networks))]
    public void LossAndEveryGradientMatchTheCpu(VaeArchitecture architecture, int batch)
    {
        (VaeNetwork cpu, Tensor images, Tensor eps) = Setup(architecture, batch, CpuBackend.Instance);
        (VaeNetwork gpu, _, _) = Setup(architecture, batch, TestGpu.Backend);

        LossBreakdown lossCpu = cpu.TrainStep(images, eps, 0.8f);
        LossBreakdown lossGpu = gpu.TrainStep(TestGpu.Clone(images), TestGpu.Clone(eps), 0.8f);

        double relative = Math.Abs(lossCpu.Total - lossGpu.Total) / Math.Abs(lossCpu.Total);
        TestContext.Out.WriteLine($"{architecture.Describe()}: loss {lossCpu.Total:R} vs {lossGpu.Total:R}, relative difference {relative:E2}");
        Assert.That(relative, Is.LessThanOrEqualTo(Tolerance));
        double worst = 0;
        for (int i = 0; i < cpu.Parameters.Count; i++)
        {
            double r = TestGpu.Relative(cpu.Parameters[i].Grad.Span, gpu.Parameters[i].Grad.Span);
            TestContext.Out.WriteLine($"  d{cpu.Parameters[i].Name}: relative difference {r:E2}");
            Assert.That(r, Is.LessThanOrEqualTo(Tolerance), cpu.Parameters[i].Name);
            worst = Math.Max(worst, r);
        }
        TestContext.Out.WriteLine($"  worst gradient: {worst:E2} (tolerance {Tolerance:E0})");
    }

    [Test]
    public void TheSameRunOnTheGpuTwiceIsBitIdentical()
    {
        float[][] Run()
        {
            VaeArchitecture architecture = VaeArchitecture.Conv(1, 8, 8, 2);
            (VaeNetwork network, Tensor images, _) = Setup(architecture, 2, TestGpu.Backend);
            var adam = new Adam(network.Parameters) { Backend = TestGpu.Backend };
            var noise = new RandomSource(61);
            var sums = new LossValues(2);
            for (int step = 0; step < 3; step++)
            {
                network.TrainStep(images, noise, 1f, sums);
                GradientClipping.ClipGlobalNorm(network.Parameters, 5.0, TestGpu.Backend);
                adam.Step();
            }
            return [.. network.Parameters.Select(p => p.Value.Span.ToArray()), [.. sums.Span.ToArray().Select(v => (float)v)]];
        }
        float[][] first = Run(), second = Run();
        for (int i = 0; i < first.Length; i++)
        {
            Assert.That(second[i], Is.EqualTo(first[i]), $"tensor {i}");
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void ACheckpointFromOneBackendResumesOnTheOther(bool gpuFirst)
    {
        VaeArchitecture architecture = VaeArchitecture.Conv(1, 8, 8, 2);
        ComputeBackend first = gpuFirst ? TestGpu.Backend : CpuBackend.Instance;
        ComputeBackend second = gpuFirst ? CpuBackend.Instance : TestGpu.Backend;
        (VaeNetwork network, Tensor images, Tensor eps) = Setup(architecture, 2, first);
        var adam = new Adam(network.Parameters) { Backend = first };
        network.TrainStep(images, eps, 1f);
        adam.Step();
        string path = Path.Combine(Path.GetTempPath(), $"vaeonnx-backend-{Guid.NewGuid():N}.bin");
        try
        {
            CheckpointFile.Save(path, Checkpoint.Capture(network.Parameters, adam, new Dictionary<string, RandomSource>(), new Dictionary<string, string>()));
            Checkpoint loaded = CheckpointFile.Load(path);
            VaeNetwork resumed = VaeNetwork.Create(architecture, second);
            loaded.RestoreParameters(resumed.Parameters);
            var resumedAdam = new Adam(resumed.Parameters) { Backend = second };
            loaded.RestoreOptimizer(resumedAdam);

            network.TrainStep(images, eps, 1f);
            adam.Step();
            resumed.TrainStep(TestGpu.Clone(images), TestGpu.Clone(eps), 1f);
            resumedAdam.Step();
            Assert.That(resumedAdam.StepCount, Is.EqualTo(2));
            for (int i = 0; i < network.Parameters.Count; i++)
            {
                double r = TestGpu.Relative(network.Parameters[i].Value.Span, resumed.Parameters[i].Value.Span);
                Assert.That(r, Is.LessThanOrEqualTo(Tolerance), network.Parameters[i].Name);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (VaeNetwork Network, Tensor Images, Tensor Eps) Setup(VaeArchitecture architecture, int batch, ComputeBackend backend)
    {
        VaeNetwork network = VaeNetwork.Create(architecture, backend);
        network.ResetParameters(new RandomSource(60));
        var images = new Tensor(batch, architecture.Channels, architecture.Height, architecture.Width);
        new RandomSource(62).FillUniform(images.Span, 0, 1);
        var eps = new Tensor(batch, architecture.LatentSize);
        new RandomSource(63).FillGaussian(eps.Span);
        return (network, images, eps);
    }
}
