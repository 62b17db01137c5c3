// The GPU's optimizer kernels against the CPU engine's (OptimCpu): 20 Adam steps with weight decay from the same
// gradients, the same moments flushed to 0 once they decay below float's smallest normal value, and global-norm clipping both when it scales and when it leaves the gradients alone.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Optim;

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

    [Test]
    public void SubnormalMomentsAreZeroOnTheGpuAsOnTheCpu()
    {
        Parameter[] cpu = Parameters(53), gpu = Parameters(53);
        var adamCpu = new Adam(cpu, new AdamOptions());
        var adamGpu = new Adam(gpu, new AdamOptions()) { Backend = TestGpu.Backend };
        // The first gradient sets moments of every size down to 1e-30; then zero gradients decay them past 1e-38.
        var gradients = new RandomSource(54);
        for (int i = 0; i < cpu.Length; i++)
        {
            Span<float> g = cpu[i].Grad.Span;
            gradients.FillUniform(g, 1f, 2f);
            for (int j = 0; j < g.Length; j++)
            {
                g[j] *= MathF.Pow(10f, -30f * j / g.Length);
            }
            g.CopyTo(gpu[i].Grad.Span);
        }
        for (int step = 0; step < 120; step++)
        {
            adamCpu.Step();
            adamGpu.Step();
            foreach (Parameter p in cpu.Concat(gpu))
            {
                p.Grad.Span.Clear();
            }
        }
        OptimizerState stateCpu = adamCpu.ExportState(), stateGpu = adamGpu.ExportState();
        int zeros = 0;
        for (int i = 0; i < stateCpu.Buffers.Count; i++)
        {
            Assert.That(stateGpu.Buffers[i].Data, Has.None.Matches<float>(float.IsSubnormal), stateGpu.Buffers[i].Name);
            Assert.That(stateGpu.Buffers[i].Data.Select(x => x == 0f), Is.EqualTo(stateCpu.Buffers[i].Data.Select(x => x == 0f)),
                $"{stateCpu.Buffers[i].Name}: the same moments are flushed on both backends");
            zeros += stateCpu.Buffers[i].Data.Count(x => x == 0f);
        }
        Assert.That(zeros, Is.GreaterThan(0), "some moments were flushed");
        for (int i = 0; i < cpu.Length; i++)
        {
            TestGpu.AssertRelative($"{cpu[i].Name} after 120 steps", cpu[i].Value, gpu[i].Value, 1e-6);
        }
        TestContext.Out.WriteLine($"{zeros} moments flushed to 0 on both backends");
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
