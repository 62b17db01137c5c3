// The one reduction the GPU kernels use: a group of GroupSize threads adds one float each in a fixed tree over shared
// memory (pairs at distance 128, 64, ..., 1), so the result depends only on the inputs and the group size, never on
// scheduling. No atomics anywhere: a sum over more values than one group holds is per-thread strided sums (each in
// index order) reduced by this tree, or per-group partials added in order by a following kernel.
// It does not reduce across groups by itself.
using ILGPU;

namespace VaeOnnx.Trainer.Engine.Backends.Reductions;

public static class GroupReduction
{
    /// <summary>Threads per group of every reduction kernel (and of the GEMM's 16 x 16 thread tile).</summary>
    public const int GroupSize = 256;

    /// <summary>The sum of every thread's <paramref name="value"/>, returned to all threads of the group.</summary>
    /// <param name="shared">GroupSize floats of shared memory, allocated by the kernel.</param>
    public static float Sum(ArrayView<float> shared, float value)
    {
        int t = Group.IdxX;
        shared[t] = value;
        Group.Barrier();
        for (int stride = GroupSize / 2; stride > 0; stride >>= 1)
        {
            if (t < stride)
            {
                shared[t] += shared[t + stride];
            }
            Group.Barrier();
        }
        float total = shared[0];
        Group.Barrier();
        return total;
    }
}
