// The GPU's optimizer kernels against the CPU engine's (OptimCpu): 20 Adam steps with weight decay from the same
// gradients, and global-norm clipping both when it scales and when it leaves the gradients alone.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Tests.Engine.Backends.Optim;

public class OptimGpuTests
{
    private static Parameter[] Parameters(ulong seed)
    {
        var random = new RandomSource(seed);
        var parameters = new[] { new Parameter("a", 3, 37), new Parameter("b", 300) };
        foreach (Parameter p in parameters)
        {
            random.FillUniform(p.Value.Span, -1, 1);
        }
        return parameters;
    }

    [Test]
    public void TwentyAdamStepsMatchTheCpu()
    {
        Parameter[] cpu = Parameters(51), gpu = Parameters(51);
        var options = new AdamOptions(LearningRate: 0.01, WeightDecay: 0.01);
        var adamCpu = new Adam(cpu, options);
        var adamGpu = new Adam(gpu, options) { Backend = TestGpu.Backend };
        var gradients = new RandomSource(52);
        for (int step = 0; step < 20; step++)
        {
            for (int i = 0; i < cpu.Length; i++)
            {
                gradients.FillUniform(cpu[i].Grad.Span, -1, 1);
                cpu[i].Grad.Span.CopyTo(gpu[i].Grad.Span);
            }
            adamCpu.Step();
            adamGpu.Step();
        }
        for (int i = 0; i < cpu.Length; i++)
        {
            TestGpu.AssertRelative($"{cpu[i].Name} after 20 steps", cpu[i].Value, gpu[i].Value, 1e-6);
        }
        OptimizerState stateCpu = adamCpu.ExportState(), stateGpu = adamGpu.ExportState();
        for (int i = 0; i < stateCpu.Buffers.Count; i++)
        {
            double relative = TestGpu.Relative(stateCpu.Buffers[i].Data, stateGpu.Buffers[i].Data);
            TestContext.Out.WriteLine($"{stateCpu.Buffers[i].Name}: relative difference {relative:E2}");
            Assert.That(relative, Is.LessThan(1e-6));
        }
    }

    [TestCase(0.5)]
    [TestCase(1e6)]
    public void ClippingMatchesTheCpu(double maxNorm)
    {
        Parameter[] cpu = Parameters(53), gpu = Parameters(53);
        var random = new RandomSource(54);
        for (int i = 0; i < cpu.Length; i++)
        {
            random.FillUniform(cpu[i].Grad.Span, -1, 1);
            cpu[i].Grad.Span.CopyTo(gpu[i].Grad.Span);
        }
        GradientClipping.ClipGlobalNorm(cpu, maxNorm, CpuBackend.Instance);
        GradientClipping.ClipGlobalNorm(gpu, maxNorm, TestGpu.Backend);
        for (int i = 0; i < cpu.Length; i++)
        {
            TestGpu.AssertRelative($"{cpu[i].Name} clipped to {maxNorm}", cpu[i].Grad, gpu[i].Grad, 1e-6);
        }
    }
}
