// The GPU's SGEMM (GemmGpu) against the CPU engine's (GemmCpu): shapes that are not multiples of the 64 x 128 tile or
// the 16-deep k slice, every transpose combination, beta 0 and 1; products split along k (split-K, planned for an
// H100's 132 multiprocessors so that even small products split) against the CPU and bit for bit against a rerun;
// and Linear's fused GEMMs (bias, ReLU and leaky ReLU in the epilogue, the bias gradient as a column of ones, the
// weight and input gradients in one launch) against the CPU's Linear followed by its activation layer.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Dense;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Dense;

public class GemmGpuTests
{
    [TestCase(1, 1, 1)]
    [TestCase(7, 5, 3)]
    [TestCase(67, 130, 35)]
    [TestCase(3, 97, 200)]
    [TestCase(129, 17, 64)]
    public void TiledGemmMatchesTheCpuGemmForEveryTransposeAndBeta(int m, int n, int k)
    {
        var random = new RandomSource(11);
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                foreach (float beta in new[] { 0f, 1f })
                {
                    Tensor a = TestTensors.Uniform(random, -1, 1, transA ? k : m, transA ? m : k);
                    Tensor b = TestTensors.Uniform(random, -1, 1, transB ? n : k, transB ? k : n);
                    Tensor c = TestTensors.Uniform(random, -1, 1, m, n);
                    Tensor cGpu = TestGpu.Clone(c);
                    CpuBackend.Instance.Gemm(transA, transB, m, n, k, a, b, beta, c);
                    TestGpu.Backend.Gemm(transA, transB, m, n, k, TestGpu.Clone(a), TestGpu.Clone(b), beta, cGpu);
                    TestGpu.AssertRelative($"{m}x{n}x{k} transA={transA} transB={transB} beta={beta}", c, cGpu, 1e-6);
                }
            }
        }
    }

    // A weight gradient's shape (conv1's 32 x 16 x 25,088 shrunk) and a head's (128 x 16 x 3,136 shrunk): few tiles, long k.
    [TestCase(32, 17, 3000, false, true)]
    [TestCase(70, 16, 1111, false, false)]
    [TestCase(5, 130, 777, true, true)]
    public void SplitKProductsMatchTheCpuAndRepeatBitForBit(int m, int n, int k, bool transA, bool transB)
    {
        GemmPlanner.Plan plan = GemmPlanner.Choose(132, m, n, k);
        Assert.That(plan.Chunks, Is.GreaterThan(1), "the product is split");
        var random = new RandomSource(13);
        Tensor a = TestTensors.Uniform(random, -1, 1, transA ? k : m, transA ? m : k);
        Tensor b = TestTensors.Uniform(random, -1, 1, transB ? n : k, transB ? k : n);
        Tensor c = new(m, n);
        CpuBackend.Instance.Gemm(transA, transB, m, n, k, a, b, 0f, c);
        float[] first = SplitOnGpu(), second = SplitOnGpu();
        var gpu = new Tensor(m, n);
        first.CopyTo(gpu.Span);
        TestContext.Out.WriteLine($"{m}x{n}x{k}: {plan.Chunks} k-chunks of {plan.SlicesPerChunk} slices");
        TestGpu.AssertRelative($"{m}x{n}x{k} split-K", c, gpu, 1e-6);
        Assert.That(second, Is.EqualTo(first), "a rerun gives the same bits");

        float[] SplitOnGpu()
        {
            var result = new Tensor(m, n);
            WithPlannedMultiprocessors(132, () => TestGpu.Backend.Gemm(transA, transB, m, n, k, TestGpu.Clone(a), TestGpu.Clone(b), 0f, result));
            return result.Span.ToArray();
        }
    }

    [TestCase(0f, true)]
    [TestCase(0.2f, true)]
    [TestCase(0f, false)]
    public void FusedLinearPassesMatchTheCpuLinearAndActivation(float slope, bool inputGradient)
    {
        const int n = 9, inFeatures = 37, outFeatures = 21;
        Layer[] Make() =>
        [
            new Linear("fc", inFeatures, outFeatures) { NeedsInputGradient = inputGradient },
            slope == 0f ? new Relu() : new LeakyRelu(slope),
        ];
        Layer[] cpu = Make(), gpu = Make();
        cpu[0].ResetParameters(new RandomSource(14));
        gpu[0].ResetParameters(new RandomSource(14));
        TestGpu.FuseOnGpu(gpu);
        Assert.That(gpu[0].FusedActivation.IsFused && ((ActivationLayer)gpu[1]).IsFusedIntoPrevious);
        var random = new RandomSource(15);
        Tensor x = TestTensors.Uniform(random, -1, 1, n, inFeatures);
        Tensor dY = TestTensors.Uniform(random, -1, 1, n, outFeatures);

        Tensor yCpu = cpu[1].Forward(cpu[0].Forward(x));
        Tensor yGpu = gpu[1].Forward(gpu[0].Forward(TestGpu.Clone(x)));
        TestGpu.AssertRelative("y", yCpu, yGpu, 1e-6);
        Tensor dxCpu = cpu[0].Backward(cpu[1].Backward(dY));
        Tensor dxGpu = gpu[0].Backward(gpu[1].Backward(TestGpu.Clone(dY)));
        var linearCpu = (Linear)cpu[0];
        var linearGpu = (Linear)gpu[0];
        TestGpu.AssertRelative("dWeight", linearCpu.Weight.Grad, linearGpu.Weight.Grad, 1e-6);
        TestGpu.AssertRelative("dBias", linearCpu.Bias.Grad, linearGpu.Bias.Grad, 1e-6);
        if (inputGradient)
        {
            TestGpu.AssertRelative("dX", dxCpu, dxGpu, 1e-6);
        }
        Assert.That(dxGpu.Length, Is.EqualTo(dxCpu.Length));
    }

    /// <summary>Runs <paramref name="action"/> with the shared backend's GEMMs planned for <paramref name="multiprocessors"/>.</summary>
    internal static void WithPlannedMultiprocessors(int multiprocessors, Action action)
    {
        GpuBackend gpu = TestGpu.Backend;
        int before = gpu.GemmKernels.Multiprocessors;
        gpu.PlanForMultiprocessors = multiprocessors;
        try
        {
            action();
        }
        finally
        {
            gpu.GemmKernels.Multiprocessors = before;
        }
    }
}
