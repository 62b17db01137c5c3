// A whole training step on the GPU backend (ILGPU's CPU accelerator) against the CPU backend, for the four networks
// the issue names: the loss and every parameter gradient agree to 1e-5 relative (max |a - b| / max |a| per tensor,
// printed). Also: a few Adam steps on the GPU twice give the same bits, and a checkpoint written from the GPU backend
// resumes on the CPU backend (and the reverse) with the same next step.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Engine.Serialization;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Engine.Backends;

public class FullStepParityTests
{
    private const double Tolerance = 1e-5;

    public static IEnumerable<TestCaseData> Networks()
    {
        yield return new TestCaseData(VaeArchitecture.Conv(1, 28, 28, 16), 2).SetArgDisplayNames("conv 28x28 grey");
        yield return new TestCaseData(VaeArchitecture.Conv(3, 64, 64, 16), 1).SetArgDisplayNames("conv 64x64 rgb");
        yield return new TestCaseData(VaeArchitecture.Conv(1, 45, 30, 8, Likelihood.Gaussian), 2).SetArgDisplayNames("conv 45x30 gaussian");
        yield return new TestCaseData(VaeArchitecture.Mlp(1, 28, 28, 2, 400), 4).SetArgDisplayNames("mlp 784-400-2");
    }

    // BackendParity runs the step on both backends from the same weights, images and noise and prints each tensor.
    [TestCaseSource(nameof(Networks))]
    public void LossAndEveryGradientMatchTheCpu(VaeArchitecture architecture, int batch)
    {
        double worst = BackendParity.CompareStep(architecture, batch, TestGpu.Backend, TestContext.Out);
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance), $"{architecture.Describe()}: worst relative difference (tolerance {Tolerance:E0})");
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
