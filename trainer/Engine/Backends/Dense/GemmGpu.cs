// The dense-algebra ops on the GPU: one SGEMM kernel for every product the engine makes (Linear's bias and bias
// gradient included), and the reduction of a product split along k. GemmCpu.cs beside it is the CPU version and the
// reference the tests check this against (tests/Trainer/Engine/Backends/Dense).
// SGEMM: a group of 256 threads computes a TileM x TileN (64 x 128) tile of C, walking k in slices of Depth (16).
// Each thread keeps a 4 x 8 block of C in registers (rows 4 ty + i; columns 4 tx + j and 64 + 4 tx + j) and per k
// reads one float4 of the A tile and two of the B tile from shared memory (128-bit loads: 3 loads per 32 FMAs). The
// shared tiles are double-buffered: the next slice's global loads are issued into registers before this slice's
// math and stored to the other buffer after it, so one barrier per slice suffices and the loads are in flight while
// the FMAs run. Operands are read through GemmOperand (dense, channel-major or im2col views of a tensor, any
// transpose, optionally masked by a fused activation's derivative) and results written through GemmOutput (dense or
// NCHW, beta, bias, fused activation, bias-gradient column), so a layer's layout copies, bias and activation cost no
// launch of their own. Two independent products can share one launch (a layer's weight and input gradients).
// Split-K (GemmPlanner decides): a product with too few tiles for the device is cut into k-chunks; each chunk's group
// writes its partial tile to a workspace and GemmReduceKernel adds the chunks in chunk order and applies the epilogue.
// Every C element sums its products in k order within a chunk and the chunks in order, so results are the same run
// after run; edges are zero-padded. It does not use tensor cores (TF32 would change the engine's float32 results).
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Backends.Launches;

namespace VaeOnnx.Trainer.Engine.Backends.Dense;

public sealed class GemmGpu
{
    /// <summary>Rows of C per thread group.</summary>
    public const int TileM = 64;

    /// <summary>Columns of C per thread group.</summary>
    public const int TileN = 128;

    /// <summary>k per slice: one shared-memory stage.</summary>
    public const int Depth = 16;

    /// <summary>Threads per group (16 x 16, each computing 4 x 8 outputs).</summary>
    public const int GroupSize = 256;

    // Shared rows are padded by one float4, which spreads the fill's transposing stores over the banks.
    private const int QuadsA = TileM / 4 + 1;
    private const int QuadsB = TileN / 4 + 1;

    private readonly KernelLoader _kernels;
    private Action<KernelConfig, GemmProblem, GemmProblem>? _gemm;
    private Action<Index1D, Reduction, Reduction>? _reduce;
    private MemoryBuffer1D<float, Stride1D.Dense>? _workspace;

    public GemmGpu(KernelLoader kernels) => _kernels = kernels;

    /// <summary>
    /// The multiprocessor count GemmPlanner plans for: the accelerator's own, unless set (the launch-count tests and the
    /// step-time model plan for an H100's 132 while running on ILGPU's CPU accelerator).
    /// </summary>
    public int Multiprocessors { get; set; } = 0;

    /// <summary>Floats the split-K workspace holds now (device memory).</summary>
    public long WorkspaceLength => _workspace?.Length ?? 0;

    /// <summary>One product: C (m x n) = op(A) (m x k) op(B) (k x n), written through the output's epilogue.</summary>
    public readonly record struct Product(GemmOperand A, GemmOperand B, GemmOutput C, int M, int N, int K);

    /// <summary>c (m x n, leading dimension n) = op(a) op(b) + beta c, dense row-major views.</summary>
    public void Multiply(bool transA, bool transB, int m, int n, int k, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c) =>
        Run(new Product(GemmOperand.Dense(a, transA, transA ? m : k), GemmOperand.Dense(b, transB, transB ? k : n), GemmOutput.Dense(c, n, beta), m, n, k));

    /// <summary>Computes <paramref name="first"/> and, in the same launch, <paramref name="second"/> (independent products).</summary>
    public void Run(in Product first, in Product? second = null)
    {
        bool one = first.M > 0 && first.N > 0, two = second is { M: > 0, N: > 0 };
        if (!one && !two)
        {
            return;
        }
        Product p0 = one ? first : second!.Value;
        Product? p1 = one && two ? second : null;
        int sms = Multiprocessors > 0 ? Multiprocessors : _kernels.Accelerator.NumMultiprocessors;
        GemmPlanner.Plan plan0 = GemmPlanner.Choose(sms, p0.M, p0.N, p0.K);
        GemmPlanner.Plan plan1 = p1 is Product q ? GemmPlanner.Choose(sms, q.M, q.N, q.K) : default;
        long space0 = plan0.Chunks > 1 ? (long)plan0.Chunks * p0.M * p0.N : 0;
        long space1 = p1 is Product r && plan1.Chunks > 1 ? (long)plan1.Chunks * r.M * r.N : 0;
        // A product that is not split gets a 1-float view it never touches.
        ArrayView<float> workspace = Workspace(Math.Max(space0, 1) + Math.Max(space1, 1));
        GemmProblem g0 = Problem(p0, plan0, workspace.SubView(0, Math.Max(space0, 1)));
        GemmProblem g1 = p1 is Product s ? Problem(s, plan1, workspace.SubView(Math.Max(space0, 1), Math.Max(space1, 1))) : g0 with { Groups = 0 };

        _kernels.Log.DescribeNextGemm(new GemmLaunch(
            p1 is Product t ? [Work(p0, plan0), Work(t, plan1)] : [Work(p0, plan0)], IsReduction: false));
        _gemm ??= _kernels.LoadGrouped<GemmProblem, GemmProblem>(GemmKernel);
        _gemm(new KernelConfig(g0.Groups + g1.Groups, GroupSize), g0, g1);

        // The split products' chunks are added by one reduction launch (both products' outputs, when both were split).
        bool reduce0 = plan0.Chunks > 1, reduce1 = p1 is not null && plan1.Chunks > 1;
        if (reduce0 || reduce1)
        {
            Reduction r0 = reduce0 ? Reduction.Of(g0, p0) : Reduction.Of(g1, p1!.Value);
            Reduction r1 = reduce0 && reduce1 ? Reduction.Of(g1, p1!.Value) : r0 with { Count = 0 };
            _kernels.Log.DescribeNextGemm(new GemmLaunch(
                (reduce0, reduce1) switch
                {
                    (true, true) => [Work(p0, plan0), Work(p1!.Value, plan1)],
                    (true, false) => [Work(p0, plan0)],
                    _ => [Work(p1!.Value, plan1)],
                }, IsReduction: true));
            _reduce ??= _kernels.Load<Reduction, Reduction>(GemmReduceKernel);
            _reduce(r0.Count + r1.Count, r0, r1);
        }
    }

    /// <summary>Frees the workspace (the backend calls it when disposed).</summary>
    public void Release()
    {
        _workspace?.Dispose();
        _workspace = null;
    }

    private static GemmWork Work(in Product p, GemmPlanner.Plan plan) => new(p.M, p.N, p.K, TileM, TileN, Depth, plan.Chunks);

    private static GemmProblem Problem(in Product p, GemmPlanner.Plan plan, ArrayView<float> workspace) => new()
    {
        A = p.A, B = p.B, C = p.C, Workspace = workspace,
        M = p.M, N = p.N, K = p.K, TilesN = plan.TilesN, Split = plan.Chunks, ChunkDepth = plan.ChunkDepth, Groups = plan.Groups,
    };

    // One workspace for every split product, reused launch after launch (launches run in stream order); it grows.
    private ArrayView<float> Workspace(long length)
    {
        length = Math.Max(length, 1);
        if (_workspace is null || _workspace.Length < length)
        {
            _workspace?.Dispose();
            _workspace = _kernels.Accelerator.Allocate1D<float>(length);
        }
        return _workspace.View;
    }

    /// <summary>One product as the kernel reads it, with its plan and its share of the workspace.</summary>
    public struct GemmProblem
    {
        public GemmOperand A;
        public GemmOperand B;
        public GemmOutput C;
        public ArrayView<float> Workspace;
        public int M;
        public int N;
        public int K;
        public int TilesN;
        public int Split;
        public int ChunkDepth;
        public int Groups;
    }

    // Groups [0, first.Groups) compute the first product, the rest the second.
    private static void GemmKernel(GemmProblem first, GemmProblem second)
    {
        // One allocation for both: each call of Tile below is inlined, and each would otherwise allocate its own.
        ArrayView<Float4> sharedA = SharedMemory.Allocate<Float4>(2 * Depth * QuadsA);
        ArrayView<Float4> sharedB = SharedMemory.Allocate<Float4>(2 * Depth * QuadsB);
        int group = Grid.IdxX;
        if (group < first.Groups)
        {
            Tile(first, group, sharedA, sharedB);
        }
        else
        {
            Tile(second, group - first.Groups, sharedA, sharedB);
        }
    }

    private static void Tile(in GemmProblem p, int local, ArrayView<Float4> sharedA, ArrayView<Float4> sharedB)
    {
        int t = Group.IdxX;
        int tx = t % 16, ty = t / 16;
        int tile = local / p.Split, chunk = local - tile * p.Split;
        int row0 = tile / p.TilesN * TileM, col0 = (tile - tile / p.TilesN * p.TilesN) * TileN;
        int kBegin = chunk * p.ChunkDepth;
        int kEnd = Math.Min(p.K, kBegin + p.ChunkDepth);
        int slices = kEnd > kBegin ? (kEnd - kBegin + Depth - 1) / Depth : 0;
        var acc = default(Block);
        if (slices > 0)
        {
            var a = default(Float4);
            var b0 = default(Float4);
            var b1 = default(Float4);
            LoadA(p, t, row0, kBegin, kEnd, ref a);
            LoadB(p, t, col0, kBegin, kEnd, ref b0, ref b1);
            StoreA(p, sharedA, 0, t, a);
            StoreB(p, sharedB, 0, t, b0, b1);
            Group.Barrier();
            for (int s = 0; s < slices; s++)
            {
                int buffer = s & 1;
                bool more = s + 1 < slices;
                if (more)
                {
                    // The next slice's loads go out now and arrive while this slice's FMAs run.
                    int k0 = kBegin + (s + 1) * Depth;
                    LoadA(p, t, row0, k0, kEnd, ref a);
                    LoadB(p, t, col0, k0, kEnd, ref b0, ref b1);
                }
                int baseA = buffer * Depth * QuadsA + ty, baseB = buffer * Depth * QuadsB + tx;
                for (int kk = 0; kk < Depth; kk++)
                {
                    acc.Add(sharedA[baseA + kk * QuadsA], sharedB[baseB + kk * QuadsB], sharedB[baseB + kk * QuadsB + 16]);
                }
                if (more)
                {
                    StoreA(p, sharedA, buffer ^ 1, t, a);
                    StoreB(p, sharedB, buffer ^ 1, t, b0, b1);
                }
                Group.Barrier();
            }
        }
        int r0 = row0 + 4 * ty, c0 = col0 + 4 * tx;
        Store4(p, chunk, r0 + 0, c0, acc.C00, acc.C01, acc.C02, acc.C03);
        Store4(p, chunk, r0 + 0, c0 + 64, acc.C04, acc.C05, acc.C06, acc.C07);
        Store4(p, chunk, r0 + 1, c0, acc.C10, acc.C11, acc.C12, acc.C13);
        Store4(p, chunk, r0 + 1, c0 + 64, acc.C14, acc.C15, acc.C16, acc.C17);
        Store4(p, chunk, r0 + 2, c0, acc.C20, acc.C21, acc.C22, acc.C23);
        Store4(p, chunk, r0 + 2, c0 + 64, acc.C24, acc.C25, acc.C26, acc.C27);
        Store4(p, chunk, r0 + 3, c0, acc.C30, acc.C31, acc.C32, acc.C33);
        Store4(p, chunk, r0 + 3, c0 + 64, acc.C34, acc.C35, acc.C36, acc.C37);
    }

    // The A tile (TileM x Depth = 4 values per thread). When op(A) runs along k (A stored m-by-k), 4 threads read one
    // row's 16 contiguous k values, 4 each; otherwise 16 threads read 64 contiguous rows at one k, 4 rows each.
    private static void LoadA(in GemmProblem p, int t, int row0, int k0, int kEnd, ref Float4 v)
    {
        if (p.A.ColumnsContiguous)
        {
            int row = row0 + t / 4, k = k0 + 4 * (t % 4);
            v.X = p.A.Fetch(row, k, p.M, kEnd);
            v.Y = p.A.Fetch(row, k + 1, p.M, kEnd);
            v.Z = p.A.Fetch(row, k + 2, p.M, kEnd);
            v.W = p.A.Fetch(row, k + 3, p.M, kEnd);
        }
        else
        {
            int row = row0 + 4 * (t % 16), k = k0 + t / 16;
            v.X = p.A.Fetch(row, k, p.M, kEnd);
            v.Y = p.A.Fetch(row + 1, k, p.M, kEnd);
            v.Z = p.A.Fetch(row + 2, k, p.M, kEnd);
            v.W = p.A.Fetch(row + 3, k, p.M, kEnd);
        }
    }

    private static void StoreA(in GemmProblem p, ArrayView<Float4> shared, int buffer, int t, Float4 v)
    {
        int stage = buffer * Depth;
        if (p.A.ColumnsContiguous)
        {
            ArrayView<float> flat = shared.Cast<float>();
            int row = t / 4, kk = 4 * (t % 4);
            flat[((stage + kk) * QuadsA) * 4 + row] = v.X;
            flat[((stage + kk + 1) * QuadsA) * 4 + row] = v.Y;
            flat[((stage + kk + 2) * QuadsA) * 4 + row] = v.Z;
            flat[((stage + kk + 3) * QuadsA) * 4 + row] = v.W;
        }
        else
        {
            shared[(stage + t / 16) * QuadsA + t % 16] = v;
        }
    }

    // The B tile (Depth x TileN = 8 values per thread, two halves of 1,024). When op(B) runs along n, 32 threads read
    // 128 contiguous columns at one k, 4 each; otherwise 4 threads read one column's 16 contiguous k values.
    private static void LoadB(in GemmProblem p, int t, int col0, int k0, int kEnd, ref Float4 first, ref Float4 second)
    {
        LoadBHalf(p, t, col0, k0, kEnd, ref first);
        LoadBHalf(p, t + GroupSize, col0, k0, kEnd, ref second);
    }

    private static void LoadBHalf(in GemmProblem p, int g, int col0, int k0, int kEnd, ref Float4 v)
    {
        if (p.B.ColumnsContiguous)
        {
            int k = k0 + g / 32, col = col0 + 4 * (g % 32);
            v.X = p.B.Fetch(k, col, kEnd, p.N);
            v.Y = p.B.Fetch(k, col + 1, kEnd, p.N);
            v.Z = p.B.Fetch(k, col + 2, kEnd, p.N);
            v.W = p.B.Fetch(k, col + 3, kEnd, p.N);
        }
        else
        {
            int col = col0 + g / 4, k = k0 + 4 * (g % 4);
            v.X = p.B.Fetch(k, col, kEnd, p.N);
            v.Y = p.B.Fetch(k + 1, col, kEnd, p.N);
            v.Z = p.B.Fetch(k + 2, col, kEnd, p.N);
            v.W = p.B.Fetch(k + 3, col, kEnd, p.N);
        }
    }

    private static void StoreB(in GemmProblem p, ArrayView<Float4> shared, int buffer, int t, Float4 first, Float4 second)
    {
        StoreBHalf(p, shared, buffer, t, first);
        StoreBHalf(p, shared, buffer, t + GroupSize, second);
    }

    private static void StoreBHalf(in GemmProblem p, ArrayView<Float4> shared, int buffer, int g, Float4 v)
    {
        int stage = buffer * Depth;
        if (p.B.ColumnsContiguous)
        {
            shared[(stage + g / 32) * QuadsB + g % 32] = v;
        }
        else
        {
            ArrayView<float> flat = shared.Cast<float>();
            int col = g / 4, kk = 4 * (g % 4);
            flat[((stage + kk) * QuadsB) * 4 + col] = v.X;
            flat[((stage + kk + 1) * QuadsB) * 4 + col] = v.Y;
            flat[((stage + kk + 2) * QuadsB) * 4 + col] = v.Z;
            flat[((stage + kk + 3) * QuadsB) * 4 + col] = v.W;
        }
    }

    // Four neighbouring outputs of one row: the finished values, or a chunk's partials into the workspace.
    private static void Store4(in GemmProblem p, int chunk, int row, int col, float v0, float v1, float v2, float v3)
    {
        if (row >= p.M)
        {
            return;
        }
        Store1(p, chunk, row, col, v0);
        Store1(p, chunk, row, col + 1, v1);
        Store1(p, chunk, row, col + 2, v2);
        Store1(p, chunk, row, col + 3, v3);
    }

    private static void Store1(in GemmProblem p, int chunk, int row, int col, float value)
    {
        if (col < p.N)
        {
            if (p.Split > 1)
            {
                p.Workspace[((long)chunk * p.M + row) * p.N + col] = value;
            }
            else
            {
                p.C.Store(row, col, value);
            }
        }
    }

    /// <summary>A split product's partials and where their sums go, as the reduction reads them.</summary>
    public struct Reduction
    {
        public GemmOutput Output;
        public ArrayView<float> Workspace;
        public int M;
        public int N;
        public int Chunks;

        /// <summary>Outputs (threads) of this reduction: M x N, or 0 for none.</summary>
        public int Count;

        public static Reduction Of(in GemmProblem g, in Product p) =>
            new() { Output = p.C, Workspace = g.Workspace, M = p.M, N = p.N, Chunks = g.Split, Count = p.M * p.N };
    }

    // One thread per output of either product: the chunks' partials added in chunk order, then the product's epilogue.
    private static void GemmReduceKernel(Index1D e, Reduction first, Reduction second)
    {
        if (e < first.Count)
        {
            Finish(first, e);
        }
        else
        {
            Finish(second, e - first.Count);
        }
    }

    private static void Finish(in Reduction r, int e)
    {
        int row = e / r.N, col = e - row * r.N;
        long stride = (long)r.M * r.N;
        float sum = 0f;
        for (int chunk = 0; chunk < r.Chunks; chunk++)
        {
            sum += r.Workspace[chunk * stride + e];
        }
        r.Output.Store(row, col, sum);
    }

    /// <summary>A thread's 4 x 8 block of C in registers: rows 4 ty + i, columns 4 tx + j and 64 + 4 tx + j.</summary>
    private struct Block
    {
        public float C00, C01, C02, C03, C04, C05, C06, C07, C10, C11, C12, C13, C14, C15, C16, C17, C20, C21, C22, C23, C24, C25, C26, C27, C30, C31, C32, C33, C34, C35, C36, C37;

        public void Add(Float4 a, Float4 b0, Float4 b1)
        {
            C00 += a.X * b0.X;
            C01 += a.X * b0.Y;
            C02 += a.X * b0.Z;
            C03 += a.X * b0.W;
            C04 += a.X * b1.X;
            C05 += a.X * b1.Y;
            C06 += a.X * b1.Z;
            C07 += a.X * b1.W;
            C10 += a.Y * b0.X;
            C11 += a.Y * b0.Y;
            C12 += a.Y * b0.Z;
            C13 += a.Y * b0.W;
            C14 += a.Y * b1.X;
            C15 += a.Y * b1.Y;
            C16 += a.Y * b1.Z;
            C17 += a.Y * b1.W;
            C20 += a.Z * b0.X;
            C21 += a.Z * b0.Y;
            C22 += a.Z * b0.Z;
            C23 += a.Z * b0.W;
            C24 += a.Z * b1.X;
            C25 += a.Z * b1.Y;
            C26 += a.Z * b1.Z;
            C27 += a.Z * b1.W;
            C30 += a.W * b0.X;
            C31 += a.W * b0.Y;
            C32 += a.W * b0.Z;
            C33 += a.W * b0.W;
            C34 += a.W * b1.X;
            C35 += a.W * b1.Y;
            C36 += a.W * b1.Z;
            C37 += a.W * b1.W;
        }
    }
}

/// <summary>Four floats read or written as one 128-bit access (shared memory aligns arrays of it to 16 bytes).</summary>
public struct Float4
{
    public float X;
    public float Y;
    public float Z;
    public float W;
}
