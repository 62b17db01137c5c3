// The dense-algebra ops on the GPU: a tiled SGEMM and the bias row-broadcast / row-sum. GemmCpu.cs beside it is the
// CPU version and the reference the tests check this against (tests/Trainer/Engine/Backends/Dense).
// SGEMM: each group of 16 x 16 threads computes a 64 x 64 tile of C, walking k in slices of 16: the group stages the
// slice of op(A) (64 x 16) and of op(B) (16 x 64) in shared memory (loads coalesced along whichever axis is contiguous,
// which absorbs the transposes), then each thread accumulates a 4 x 4 register block (rows ty + 16 r, columns
// tx + 16 c). Every C element sums its products in k order, so results are the same run after run. Edges are zero-padded.
// It does not use tensor cores or double buffering of the shared tiles (a next step for speed).
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Engine.Backends.Reductions;

namespace VaeOnnx.Trainer.Engine.Backends.Dense;

public sealed class GemmGpu
{
    private const int Tile = 64;
    private const int Depth = 16;
    private const int Threads = 16;
    private const int GroupSize = GroupReduction.GroupSize;

    private readonly KernelLoader _kernels;
    private Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape>? _gemm;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, int>? _fillRows;
    private Action<Index1D, ArrayView<float>, ArrayView<float>, int, int>? _sumRows;

    public GemmGpu(KernelLoader kernels) => _kernels = kernels;

    /// <summary>c (m x n, leading dimension n) = op(a) op(b) + beta c, dense row-major views.</summary>
    public void Multiply(bool transA, bool transB, int m, int n, int k, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        _gemm ??= _kernels.LoadGrouped<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmShape>(GemmKernel);
        var shape = new GemmShape(m, n, k, transA ? m : k, transB ? k : n, n, transA ? 1 : 0, transB ? 1 : 0, beta);
        int groups = ((m + Tile - 1) / Tile) * ((n + Tile - 1) / Tile);
        _kernels.Log.DescribeNextGemm(new GemmLaunch([new GemmWork(m, n, k, Tile, Tile, Depth, 1)], false));
        _gemm(new KernelConfig(groups, GroupSize), a, b, c, shape);
    }

    public void FillRows(ArrayView<float> bias, int rows, int columns, ArrayView<float> y)
    {
        if (rows * columns == 0)
        {
            return;
        }
        _fillRows ??= _kernels.Load<ArrayView<float>, ArrayView<float>, int>(FillRowsKernel);
        _fillRows(rows * columns, bias, y, columns);
    }

    public void SumRows(ArrayView<float> x, int rows, int columns, ArrayView<float> sums)
    {
        if (columns == 0)
        {
            return;
        }
        _sumRows ??= _kernels.Load<ArrayView<float>, ArrayView<float>, int, int>(SumRowsKernel);
        _sumRows(columns, x, sums, rows, columns);
    }

    /// <summary>The GEMM's sizes, leading dimensions, transposes (0/1) and beta, passed to the kernel by value.</summary>
    public readonly record struct GemmShape(int M, int N, int K, int Lda, int Ldb, int Ldc, int TransA, int TransB, float Beta);

    private static void GemmKernel(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmShape s)
    {
        ArrayView<float> tileA = SharedMemory.Allocate<float>(Depth * Tile);
        ArrayView<float> tileB = SharedMemory.Allocate<float>(Depth * Tile);
        int t = Group.IdxX;
        int tx = t % Threads, ty = t / Threads;
        int tilesN = (s.N + Tile - 1) / Tile;
        int row0 = Grid.IdxX / tilesN * Tile, col0 = Grid.IdxX % tilesN * Tile;
        var acc = default(Block);
        for (int k0 = 0; k0 < s.K; k0 += Depth)
        {
            for (int e = t; e < Depth * Tile; e += GroupSize)
            {
                // op(A)[row, k]: A is (M, K) with k contiguous, or transposed (K, M) with rows contiguous.
                int i = s.TransA == 0 ? e / Depth : e % Tile;
                int ka = s.TransA == 0 ? e % Depth : e / Tile;
                int row = row0 + i, kIndex = k0 + ka;
                float va = 0f;
                if (row < s.M && kIndex < s.K)
                {
                    va = s.TransA == 0 ? a[row * s.Lda + kIndex] : a[kIndex * s.Lda + row];
                }
                tileA[ka * Tile + i] = va;

                // op(B)[k, col]: B is (K, N) with columns contiguous, or transposed (N, K) with k contiguous.
                int j = s.TransB == 0 ? e % Tile : e / Depth;
                int kb = s.TransB == 0 ? e / Tile : e % Depth;
                int col = col0 + j;
                kIndex = k0 + kb;
                float vb = 0f;
                if (col < s.N && kIndex < s.K)
                {
                    vb = s.TransB == 0 ? b[kIndex * s.Ldb + col] : b[col * s.Ldb + kIndex];
                }
                tileB[kb * Tile + j] = vb;
            }
            Group.Barrier();
            for (int kk = 0; kk < Depth; kk++)
            {
                int baseA = kk * Tile + ty, baseB = kk * Tile + tx;
                acc.Add(tileA[baseA], tileA[baseA + 16], tileA[baseA + 32], tileA[baseA + 48],
                    tileB[baseB], tileB[baseB + 16], tileB[baseB + 32], tileB[baseB + 48]);
            }
            Group.Barrier();
        }
        int r0 = row0 + ty, c0 = col0 + tx;
        StoreRow(c, s, r0, c0, acc.C00, acc.C01, acc.C02, acc.C03);
        StoreRow(c, s, r0 + 16, c0, acc.C10, acc.C11, acc.C12, acc.C13);
        StoreRow(c, s, r0 + 32, c0, acc.C20, acc.C21, acc.C22, acc.C23);
        StoreRow(c, s, r0 + 48, c0, acc.C30, acc.C31, acc.C32, acc.C33);
    }

    // One register-block row: columns c0, c0 + 16, c0 + 32, c0 + 48.
    private static void StoreRow(ArrayView<float> c, GemmShape s, int row, int c0, float v0, float v1, float v2, float v3)
    {
        Store(c, s, row, c0, v0);
        Store(c, s, row, c0 + 16, v1);
        Store(c, s, row, c0 + 32, v2);
        Store(c, s, row, c0 + 48, v3);
    }

    // beta = 0 never reads C, so NaNs in an output buffer do not leak (as BLAS and the CPU GEMM).
    private static void Store(ArrayView<float> c, GemmShape s, int row, int col, float value)
    {
        if (row < s.M && col < s.N)
        {
            int index = row * s.Ldc + col;
            c[index] = s.Beta == 0f ? value : value + s.Beta * c[index];
        }
    }

    private static void FillRowsKernel(Index1D i, ArrayView<float> bias, ArrayView<float> y, int columns) => y[i] = bias[i % columns];

    // One thread per column, adding the rows in order.
    private static void SumRowsKernel(Index1D column, ArrayView<float> x, ArrayView<float> sums, int rows, int columns)
    {
        float total = 0f;
        for (int r = 0; r < rows; r++)
        {
            total += x[r * columns + column];
        }
        sums[column] = total;
    }

    /// <summary>A thread's 4 x 4 register block of C.</summary>
    private struct Block
    {
        public float C00, C01, C02, C03, C10, C11, C12, C13, C20, C21, C22, C23, C30, C31, C32, C33;

        public void Add(float a0, float a1, float a2, float a3, float b0, float b1, float b2, float b3)
        {
            C00 += a0 * b0;
            C01 += a0 * b1;
            C02 += a0 * b2;
            C03 += a0 * b3;
            C10 += a1 * b0;
            C11 += a1 * b1;
            C12 += a1 * b2;
            C13 += a1 * b3;
            C20 += a2 * b0;
            C21 += a2 * b1;
            C22 += a2 * b2;
            C23 += a2 * b3;
            C30 += a3 * b0;
            C31 += a3 * b1;
            C32 += a3 * b2;
            C33 += a3 * b3;
        }
    }
}
