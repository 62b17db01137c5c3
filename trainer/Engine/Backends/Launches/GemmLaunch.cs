// What one GEMM launch computes, for the launch log and the step-time model: each problem's sizes, the output tile
// one thread group computes, the k-slice depth and the k-split (Dense/GemmPlanner decides it), or, for the split-K
// reduction, the partials it adds. It describes; it computes nothing.
namespace VaeOnnx.Trainer.Engine.Backends.Launches;

/// <summary>The problems of one GEMM launch (a grouped launch computes several), or the reduction of a split one.</summary>
public sealed record GemmLaunch(IReadOnlyList<GemmWork> Problems, bool IsReduction)
{
    public override string ToString() =>
        (IsReduction ? "reduce " : "") + string.Join(" + ", Problems.Select(p => p.ToString()));
}

/// <summary>
/// C (M x N) += op(A) (M x K) op(B) (K x N) in tiles of TileM x TileN, walking K in slices of Depth, with K cut into
/// Split chunks of whole slices (one thread group per tile and chunk).
/// </summary>
public readonly record struct GemmWork(int M, int N, int K, int TileM, int TileN, int Depth, int Split)
{
    public int Tiles => ((M + TileM - 1) / TileM) * ((N + TileN - 1) / TileN);

    /// <summary>Thread groups: one per tile and k-chunk.</summary>
    public int Groups => Tiles * Split;

    /// <summary>K slices in all (what one group walks when unsplit).</summary>
    public int Slices => (K + Depth - 1) / Depth;

    /// <summary>K slices each group walks, one after another.</summary>
    public int SlicesPerGroup => (Slices + Split - 1) / Split;

    public override string ToString() =>
        $"{M}x{N}x{K} tile {TileM}x{TileN}x{Depth}, {Tiles} tile{(Tiles == 1 ? "" : "s")}" + (Split > 1 ? $" x {Split} k-chunks" : "") + $", {SlicesPerGroup} k-slices per group";
}
