// General matrix multiply, the kernel under Linear and the convolutions:
//   C (m, n) = alpha * op(A) (m, k) * op(B) (k, n) + beta * C
// Row-major with leading dimensions, op(X) = X or X^T. GemmReference is the specification; this is the fast path:
// C is cut into tiles that threads take independently; a tile walks k in blocks of KC, packs its slices of A and B
// (GemmPacking) and runs a register-blocked micro-kernel over them (GemmMicroKernels).
// Determinism: every C element is reduced in the same order (k blocks of KC in order, products in order within a
// block) whatever the tile sizes, the thread count or which thread ran it, so results are identical run to run and
// across thread counts. They differ from GemmReference by rounding only (fused multiply-adds, blocked sums).
// Following BLAS, alpha = 0 or k = 0 scales C by beta without reading A and B; beta = 0 never reads C.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VaeOnnx.Trainer.Engine.Kernels;

public static unsafe class Gemm
{
    /// <summary>Depth of one packed block: a 32-column B panel of this depth (32 KiB) stays in a 48 KiB L1.</summary>
    internal const int KC = 256;

    /// <summary>Rows of one packed A block (about 128 KiB at KC, well inside L2).</summary>
    private const int MCTarget = 128;

    /// <summary>Most columns a tile takes; smaller tiles only pay for re-packing A.</summary>
    private const int NBTarget = 512;

    /// <summary>Below this many multiply-adds the call runs on the calling thread: waking workers costs more.</summary>
    private const long ParallelThreshold = 1 << 16;

    private static GemmKernel _kernel = BestKernel;

    [ThreadStatic]
    private static GemmBody? t_body;

    /// <summary>The fastest kernel this machine supports.</summary>
    public static GemmKernel BestKernel =>
        Vector512.IsHardwareAccelerated ? GemmKernel.Vector512
        : Vector256.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Fma.IsSupported ? GemmKernel.Vector256
        : GemmKernel.Scalar;

    /// <summary>The micro-kernel in use (default <see cref="BestKernel"/>); tests and benchmarks switch it.</summary>
    public static GemmKernel Kernel
    {
        get => _kernel;
        set
        {
            if (value > BestKernel || value < GemmKernel.Scalar)
            {
                throw new ArgumentOutOfRangeException(nameof(value),
                    $"GEMM kernel {value} is not supported on this machine; the best it supports is {BestKernel}.");
            }
            _kernel = value;
        }
    }

    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckMatrix("A", a.Length, transA ? k : m, transA ? m : k, lda, transA);
        CheckMatrix("B", b.Length, transB ? n : k, transB ? k : n, ldb, transB);
        CheckMatrix("C", c.Length, m, n, ldc, false);
        if (m == 0 || n == 0)
        {
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0f)
            {
                ScaleByBeta(m, n, beta, pc, ldc);
                return;
            }
            GemmBody body = t_body ??= new GemmBody();
            body.Set(Kernel, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            int threads = (long)m * n * k < ParallelThreshold || ParallelFor.IsInsideLoop ? 1 : EngineThreads.Count;
            int tiles = body.PlanTiles(threads);
            if (threads == 1)
            {
                for (int t = 0; t < tiles; t++)
                {
                    body.Execute(t);
                }
            }
            else
            {
                ParallelFor.Run(tiles, body);
            }
            body.Clear();
        }
    }

    private static void CheckMatrix(string name, int length, int rows, int cols, int ld, bool transposed)
    {
        if (ld < Math.Max(1, cols))
        {
            throw new ArgumentOutOfRangeException($"ld{name.ToLowerInvariant()}",
                $"Leading dimension of {name} must be at least {Math.Max(1, cols)} (its stored row length{(transposed ? ", transposed" : "")}); got {ld}.");
        }
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < needed)
        {
            throw new ArgumentException(
                $"{name} holds {length} elements but a stored ({rows} x {cols}) matrix with leading dimension {ld} needs {needed}.",
                name.ToLowerInvariant());
        }
    }

    private static void ScaleByBeta(int m, int n, float beta, float* c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else if (beta != 1f)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    /// <summary>One GEMM call's problem and tiling; tile t is an independent (tileM x tileN) block of C.</summary>
    private sealed class GemmBody : IParallelBody
    {
        private GemmKernel _kernel;
        private int _mr, _nr;
        private bool _transA, _transB;
        private int _m, _n, _k, _lda, _ldb, _ldc;
        private float _alpha, _beta;
        private float* _a, _b, _c;
        private int _tileM, _tileN, _tilesAcrossN;

        public void Set(GemmKernel kernel, bool transA, bool transB, int m, int n, int k, float alpha,
            float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
        {
            _kernel = kernel;
            (_mr, _nr) = kernel switch
            {
                GemmKernel.Vector512 => (8, 32),
                GemmKernel.Vector256 => (6, 16),
                _ => (4, 4),
            };
            (_transA, _transB, _m, _n, _k, _alpha, _lda, _ldb, _beta, _ldc) =
                (transA, transB, m, n, k, alpha, lda, ldb, beta, ldc);
            _a = a;
            _b = b;
            _c = c;
        }

        public void Clear()
        {
            _a = null;
            _b = null;
            _c = null;
        }

        /// <summary>Chooses tile sizes (multiples of MR x NR) so that threads get a balanced number of tiles.</summary>
        public int PlanTiles(int threads)
        {
            int mc = _mr * Math.Max(1, MCTarget / _mr);
            int nb = _nr * Math.Max(1, NBTarget / _nr);
            int maxBlocksM = DivUp(_m, _mr), maxBlocksN = DivUp(_n, _nr);
            int blocksM = DivUp(_m, mc), blocksN = DivUp(_n, nb);
            if (threads > 1)
            {
                int wanted = Math.Max(2 * threads, DivUp(blocksM * blocksN, threads) * threads);
                blocksN = Math.Min(maxBlocksN, Math.Max(blocksN, DivUp(wanted, blocksM)));
                blocksM = Math.Min(maxBlocksM, Math.Max(blocksM, DivUp(wanted, blocksN)));
            }
            _tileM = DivUp(DivUp(_m, blocksM), _mr) * _mr;
            _tileN = DivUp(DivUp(_n, blocksN), _nr) * _nr;
            _tilesAcrossN = DivUp(_n, _tileN);
            return DivUp(_m, _tileM) * _tilesAcrossN;
        }

        public void Execute(int index)
        {
            int i0 = index / _tilesAcrossN * _tileM;
            int j0 = index % _tilesAcrossN * _tileN;
            int rows = Math.Min(_tileM, _m - i0);
            int cols = Math.Min(_tileN, _n - j0);
            PackBuffers buffers = PackBuffers.ForCurrentThread(_tileM * KC, _tileN * KC, _mr * _nr);
            for (int p0 = 0; p0 < _k; p0 += KC)
            {
                int kc = Math.Min(KC, _k - p0);
                float beta = p0 == 0 ? _beta : 1f;
                GemmPacking.PackA(_transA, _a, _lda, i0, rows, p0, kc, _mr, buffers.A);
                GemmPacking.PackB(_transB, _b, _ldb, p0, kc, j0, cols, _nr, buffers.B);
                for (int jr = 0; jr < cols; jr += _nr)
                {
                    float* panelB = buffers.B + (long)jr * kc;
                    for (int ir = 0; ir < rows; ir += _mr)
                    {
                        float* panelA = buffers.A + (long)ir * kc;
                        float* target = _c + (long)(i0 + ir) * _ldc + j0 + jr;
                        int height = Math.Min(_mr, rows - ir), width = Math.Min(_nr, cols - jr);
                        if (height == _mr && width == _nr)
                        {
                            RunKernel(panelA, panelB, kc, target, _ldc, beta);
                        }
                        else
                        {
                            RunEdgeTile(panelA, panelB, kc, target, height, width, beta, buffers.Tile);
                        }
                    }
                }
            }
        }

        // A partial tile goes through a full-size scratch tile so that it runs the very same kernel arithmetic.
        private void RunEdgeTile(float* panelA, float* panelB, int kc, float* target, int height, int width, float beta, float* tile)
        {
            new Span<float>(tile, _mr * _nr).Clear();
            if (beta != 0f)
            {
                for (int r = 0; r < height; r++)
                {
                    new ReadOnlySpan<float>(target + (long)r * _ldc, width).CopyTo(new Span<float>(tile + r * _nr, width));
                }
            }
            RunKernel(panelA, panelB, kc, tile, _nr, beta);
            for (int r = 0; r < height; r++)
            {
                new ReadOnlySpan<float>(tile + r * _nr, width).CopyTo(new Span<float>(target + (long)r * _ldc, width));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void RunKernel(float* panelA, float* panelB, int kc, float* c, int ldc, float beta)
        {
            switch (_kernel)
            {
                case GemmKernel.Vector512:
                    GemmMicroKernels.Vector512x8x32(panelA, panelB, kc, c, ldc, _alpha, beta);
                    break;
                case GemmKernel.Vector256:
                    GemmMicroKernels.Vector256x6x16(panelA, panelB, kc, c, ldc, _alpha, beta);
                    break;
                default:
                    GemmMicroKernels.Scalar4x4(panelA, panelB, kc, c, ldc, _alpha, beta);
                    break;
            }
        }

        private static int DivUp(int x, int y) => (x + y - 1) / y;
    }

    /// <summary>Per-thread packing buffers, 64-byte aligned, grown on demand and then reused.</summary>
    private sealed class PackBuffers
    {
        [ThreadStatic]
        private static PackBuffers? t_current;

        private float[] _storage = [];

        public float* A { get; private set; }

        public float* B { get; private set; }

        public float* Tile { get; private set; }

        public static PackBuffers ForCurrentThread(int sizeA, int sizeB, int sizeTile)
        {
            PackBuffers buffers = t_current ??= new PackBuffers();
            buffers.Ensure(sizeA, sizeB, sizeTile);
            return buffers;
        }

        private void Ensure(int sizeA, int sizeB, int sizeTile)
        {
            sizeA = RoundUp(sizeA);
            sizeB = RoundUp(sizeB);
            int total = sizeA + sizeB + RoundUp(sizeTile) + 16;
            if (_storage.Length < total)
            {
                // Pinned so the raw pointers stay valid; grown at most a few times per thread.
                _storage = GC.AllocateUninitializedArray<float>(total, pinned: true);
            }
            float* start = (float*)Unsafe.AsPointer(ref _storage[0]);
            start = (float*)(((nint)start + 63) & ~(nint)63);
            A = start;
            B = start + sizeA;
            Tile = start + sizeA + sizeB;
        }

        private static int RoundUp(int size) => (size + 15) & ~15;
    }
}
