// Gemm.Multiply against a double-precision loop (and GemmReference against the same loop) over shapes that hit every
// vector width and tail, all four transpose combinations, alpha/beta, leading dimensions wider than the matrix, every
// kernel this machine supports, and 1 vs 2 threads (which must agree bit for bit).
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Tests.Trainer.Engine.Kernels;

[NonParallelizable] // switches the process-wide kernel and thread count
public class GemmTests
{
    private static readonly int[] Sizes = [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 65, 127, 129];

    private GemmKernel _savedKernel;
    private int _savedThreads;

    [SetUp]
    public void Save() => (_savedKernel, _savedThreads) = (Gemm.Kernel, EngineThreads.Count);

    [TearDown]
    public void Restore() => (Gemm.Kernel, EngineThreads.Count) = (_savedKernel, _savedThreads);

    public static IEnumerable<GemmKernel> SupportedKernels() =>
        Enum.GetValues<GemmKernel>().Where(kernel => kernel <= Gemm.BestKernel);

    private static IEnumerable<(int M, int N, int K)> Shapes()
    {
        for (int i = 0; i < Sizes.Length; i++)
        {
            yield return (Sizes[i], Sizes[(i * 7 + 3) % Sizes.Length], Sizes[(i * 5 + 1) % Sizes.Length]);
            yield return (Sizes[(i * 3 + 2) % Sizes.Length], Sizes[i], Sizes[(i * 11 + 4) % Sizes.Length]);
            yield return (Sizes[(i * 13 + 5) % Sizes.Length], Sizes[(i * 2 + 7) % Sizes.Length], Sizes[i]);
        }
        yield return (130, 600, 300);  // more than one row block, column tile and depth block
        yield return (64, 300, 513);   // depth just past two blocks
        yield return (16, 1000, 24);   // conv-like: few rows, many columns
    }

    [TestCaseSource(nameof(SupportedKernels))]
    public void MatchesDoublePrecisionProductOverShapesAndTransposes(GemmKernel kernel)
    {
        Gemm.Kernel = kernel;
        var random = new RandomSource(11);
        double worst = 0;
        int cases = 0;
        foreach (var (m, n, k) in Shapes())
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    (float alpha, float beta) = (cases % 4) switch
                    {
                        0 => (1f, 0f),
                        1 => (1f, 1f),
                        2 => (0.5f, -1.25f),
                        _ => (-2f, 0f),
                    };
                    worst = Math.Max(worst, CheckCase(random, transA, transB, m, n, k, alpha, beta, extraLd: cases % 3));
                    cases++;
                }
            }
        }
        TestContext.Out.WriteLine($"{kernel}: {cases} cases, worst |diff| / bound {worst:F4} (must be <= 1)");
    }

    [Test]
    public void ReferenceMatchesDoublePrecisionProduct()
    {
        var random = new RandomSource(12);
        foreach (var (m, n, k) in new[] { (7, 9, 33), (17, 5, 65), (1, 31, 127) })
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    CheckCase(random, transA, transB, m, n, k, 0.75f, 0.5f, extraLd: 2, useReference: true);
                }
            }
        }
    }

    [TestCaseSource(nameof(SupportedKernels))]
    public void OneAndTwoThreadsGiveIdenticalBits(GemmKernel kernel)
    {
        Gemm.Kernel = kernel;
        var random = new RandomSource(13);
        foreach (var (m, n, k, transA, transB) in new[] { (64, 6272 / 4, 512, false, false), (64, 512, 1568, false, true), (512, 1568, 64, true, false), (128, 400, 784, false, true), (33, 65, 300, true, true) })
        {
            float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n), c0 = RandomArray(random, m * n);
            float[] c1 = (float[])c0.Clone(), c2 = (float[])c0.Clone();
            EngineThreads.Count = 1;
            Gemm.Multiply(transA, transB, m, n, k, 1f, a, transA ? m : k, b, transB ? k : n, 1f, c1, n);
            EngineThreads.Count = 2;
            Gemm.Multiply(transA, transB, m, n, k, 1f, a, transA ? m : k, b, transB ? k : n, 1f, c2, n);
            Assert.That(c2, Is.EqualTo(c1), $"({m} x {k}) x ({k} x {n}), transA {transA}, transB {transB}: 1 and 2 threads differ");
        }
    }

    [Test]
    public void VectorKernelsGiveIdenticalBits()
    {
        if (Gemm.BestKernel < GemmKernel.Vector512)
        {
            Assert.Ignore("needs AVX-512 to compare with the 256-bit kernel");
        }
        var random = new RandomSource(14);
        const int m = 37, n = 75, k = 600;
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n), c0 = RandomArray(random, m * n);
        float[] c256 = (float[])c0.Clone(), c512 = (float[])c0.Clone();
        Gemm.Kernel = GemmKernel.Vector256;
        Gemm.Multiply(false, true, m, n, k, 1.5f, a, k, b, k, 0.5f, c256, n);
        Gemm.Kernel = GemmKernel.Vector512;
        Gemm.Multiply(false, true, m, n, k, 1.5f, a, k, b, k, 0.5f, c512, n);
        Assert.That(c512, Is.EqualTo(c256));
    }

    [TestCaseSource(nameof(SupportedKernels))]
    public void BetaZeroIgnoresNaNInOutputAndAlphaZeroOnlyScales(GemmKernel kernel)
    {
        Gemm.Kernel = kernel;
        var random = new RandomSource(15);
        const int m = 9, n = 35, k = 10;
        float[] a = RandomArray(random, m * k), b = RandomArray(random, k * n);
        float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
        Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
        Assert.That(c.All(float.IsFinite), Is.True, "beta = 0 must overwrite C without reading it");
        float[] before = (float[])c.Clone();
        b[3] = float.PositiveInfinity;
        Gemm.Multiply(false, false, m, n, k, 0f, a, k, b, n, 2f, c, n);
        Assert.That(c, Is.EqualTo(before.Select(x => 2f * x).ToArray()), "alpha = 0 must scale C by beta without reading A and B");
    }

    [Test]
    public void RejectsTooSmallBuffersAndLeadingDimensions()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 5, 6, 1f, new float[23], 6, new float[30], 5, 0f, new float[20], 5));
        Assert.That(ex!.Message, Does.Contain("A holds 23 elements").And.Contain("needs 24"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, true, 4, 5, 6, 1f, new float[24], 6, new float[30], 5, 0f, new float[20], 5));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 5, 6, 1f, new float[24], 6, new float[30], 5, 0f, new float[19], 5));
    }

    /// <summary>Runs one case and returns the worst |diff| / bound; fails if it exceeds 1 or touches memory outside C.</summary>
    private static double CheckCase(RandomSource random, bool transA, bool transB, int m, int n, int k, float alpha, float beta,
        int extraLd, bool useReference = false)
    {
        int rowsA = transA ? k : m, colsA = transA ? m : k, rowsB = transB ? n : k, colsB = transB ? k : n;
        int lda = colsA + extraLd, ldb = colsB + 2 * extraLd, ldc = n + extraLd;
        float[] a = RandomArray(random, rowsA * lda), b = RandomArray(random, rowsB * ldb), c = RandomArray(random, m * ldc);
        float[] c0 = (float[])c.Clone();
        if (useReference)
        {
            GemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
        else
        {
            Gemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }
        double worst = 0;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                if (j >= n)
                {
                    Assert.That(c[i * ldc + j], Is.EqualTo(c0[i * ldc + j]), $"C padding at ({i}, {j}) was written");
                    continue;
                }
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transA ? a[p * lda + i] : a[i * lda + p];
                    double bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                    magnitude += Math.Abs(av * bv);
                }
                double expected = alpha * sum + (beta == 0 ? 0 : beta * (double)c0[i * ldc + j]);
                // Worst-case float rounding of a k-term sum plus the alpha/beta update.
                double bound = (k + 4) * 6e-8 * (Math.Abs(alpha) * magnitude + Math.Abs(beta * c0[i * ldc + j])) + 1e-30;
                double diff = Math.Abs(c[i * ldc + j] - expected);
                if (!(diff <= bound))
                {
                    Assert.Fail($"({m} x {k}) x ({k} x {n}) transA {transA} transB {transB} alpha {alpha} beta {beta}: " +
                        $"C[{i}, {j}] = {c[i * ldc + j]}, expected {expected}, |diff| {diff:E3} > bound {bound:E3}");
                }
                worst = Math.Max(worst, diff / bound);
            }
        }
        return worst;
    }

    private static float[] RandomArray(RandomSource random, int length)
    {
        var values = new float[length];
        random.FillUniform(values, -1f, 1f);
        return values;
    }
}
