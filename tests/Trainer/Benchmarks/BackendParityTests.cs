// BackendParity, the step check the GPU check script runs on a real device: on ILGPU's CPU accelerator it reports
// every gradient and a worst difference within the engine's 1e-5 tolerance; against the CPU backend itself it
// reports exactly zero (the same kernels in the same order).
using VaeOnnx.Tests.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Benchmarks;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Benchmarks;

public class BackendParityTests
{
    [Test]
    public void ReportsEveryGradientAndAWorstDifferenceWithinTolerance()
    {
        VaeArchitecture architecture = VaeArchitecture.Mlp(1, 6, 5, 2, hidden: 11);
        var log = new StringWriter();
        double worst = BackendParity.CompareStep(architecture, 3, TestGpu.Backend, log);
        TestContext.Out.Write(log.ToString());
        Assert.That(worst, Is.LessThan(1e-5));
        foreach (string name in new[] { "encoder.fc1.weight", "encoder.mu.bias", "decoder.fc4.weight" })
        {
            Assert.That(log.ToString(), Does.Contain($"d{name}: relative"));
        }
        Assert.That(BackendParity.CompareStep(architecture, 3, CpuBackend.Instance, TextWriter.Null), Is.Zero);
    }
}
