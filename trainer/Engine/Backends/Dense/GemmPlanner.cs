// How the GPU GEMM cuts a product into thread groups: output tiles of GemmGpu.TileM x GemmGpu.TileN, and, when there
// are too few tiles to keep the device busy, chunks along k (split-K). A pure function of the device's multiprocessor
// count and the product's shape, so it is tested at the VAEs' shapes without a GPU (tests/Trainer/Engine/Backends/Dense).
// Rule: a product with fewer tiles than two waves of the device (2 groups per multiprocessor) and at least
// MinSlicesToSplit k-slices is split into as many k-chunks as bring it to about two waves, but never into chunks
// shorter than MinSlicesPerChunk k-slices (a chunk costs a store and a read of its partial tile, which must stay small
// beside its math), and never beyond MaxChunks. A shorter product is not split: its few slices take less time than the
// reduction's launch would (see Benchmarks/StepTimeModel.cs for the prices).
// Chunks are whole k-slices of equal length (the last may be shorter), so no chunk is empty. It does not look at
// the values or at other launches.
namespace VaeOnnx.Trainer.Engine.Backends.Dense;

public static class GemmPlanner
{
    /// <summary>Groups per multiprocessor the planner aims for: two waves, since one 256-thread GEMM group (about 150 registers a thread, see BENCHMARKS.md) fills more than half of an SM's 65,536 registers.</summary>
    public const int GroupsPerMultiprocessor = 2;

    /// <summary>A k-chunk is at least this many k-slices (4 x 16 = 64 products per output).</summary>
    public const int MinSlicesPerChunk = 4;

    /// <summary>A product needs at least this many k-slices (16 x 16 = 256 products per output) to be split.</summary>
    public const int MinSlicesToSplit = 16;

    /// <summary>At most this many chunks (bounds the workspace: chunks x m x n floats).</summary>
    public const int MaxChunks = 256;

    /// <summary>The plan of one product: its tiles, its k-chunks and how many k-slices each chunk walks.</summary>
    public readonly record struct Plan(int TilesM, int TilesN, int Chunks, int SlicesPerChunk)
    {
        public int Tiles => TilesM * TilesN;

        /// <summary>Thread groups: one per tile and chunk.</summary>
        public int Groups => Tiles * Chunks;

        /// <summary>k per chunk (a multiple of the slice depth).</summary>
        public int ChunkDepth => SlicesPerChunk * GemmGpu.Depth;
    }

    /// <summary>The plan for C (m x n) = op(A) (m x k) op(B) (k x n) on a device of <paramref name="multiprocessors"/>.</summary>
    public static Plan Choose(int multiprocessors, int m, int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(multiprocessors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(m);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        int tilesM = (m + GemmGpu.TileM - 1) / GemmGpu.TileM;
        int tilesN = (n + GemmGpu.TileN - 1) / GemmGpu.TileN;
        int tiles = tilesM * tilesN;
        int slices = Math.Max(1, (k + GemmGpu.Depth - 1) / GemmGpu.Depth);
        long target = (long)GroupsPerMultiprocessor * multiprocessors;
        int chunks = 1;
        if (tiles < target && slices >= MinSlicesToSplit)
        {
            long wanted = (target + tiles - 1) / tiles;
            chunks = (int)Math.Min(Math.Min(wanted, slices / MinSlicesPerChunk), MaxChunks);
            chunks = Math.Max(chunks, 1);
        }
        int perChunk = (slices + chunks - 1) / chunks;
        chunks = (slices + perChunk - 1) / perChunk;
        return new Plan(tilesM, tilesN, chunks, perChunk);
    }
}
