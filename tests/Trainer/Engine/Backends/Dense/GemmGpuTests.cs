// The GPU's tiled SGEMM and bias ops against the CPU engine's (GemmCpu): shapes that are not multiples of the 64 x 64
// tile or the 16-deep k slice, every transpose combination, beta 0 and 1.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;

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

    [Test]
    public void FillRowsAndSumRowsMatchTheCpu()
    {
        var random = new RandomSource(12);
        Tensor bias = TestTensors.Uniform(random, -1, 1, 37);
        Tensor x = TestTensors.Uniform(random, -1, 1, 5, 37);
        Tensor yCpu = new(5, 37), yGpu = new(5, 37), sumCpu = new(37), sumGpu = new(37);
        CpuBackend.Instance.FillRows(bias, 5, yCpu);
        TestGpu.Backend.FillRows(TestGpu.Clone(bias), 5, yGpu);
        Assert.That(yGpu.Span.ToArray(), Is.EqualTo(yCpu.Span.ToArray()));
        CpuBackend.Instance.SumRows(x, 5, sumCpu);
        TestGpu.Backend.SumRows(TestGpu.Clone(x), 5, sumGpu);
        TestGpu.AssertRelative("column sums", sumCpu, sumGpu, 1e-6);
    }
}
