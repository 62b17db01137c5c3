// The inner row operations of Im2Col and Col2Im with AVX-512, for strides 1 and 2 (every VAE layer here):
//   Take:  destination[ow] = source[ow * stride]          for ow in [0, count)
//   Give:  destination[ow * stride] += source[ow]         for ow in [0, count)
//   Copy / Add: contiguous rows, any length.
// Masked loads and stores touch exactly the lanes named above, so rows may end anywhere. Reads of the source row in
// Take may run up to 32 floats past its last element (the lanes are then discarded): callers keep that much slack.
// Each destination element receives at most one term per call, so results are bit-identical to the scalar loops.
// Callers check IsSupported(stride) and otherwise run their scalar loops.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VaeOnnx.Trainer.Engine.Kernels;

internal static unsafe class StridedRows
{
    /// <summary>Floats a Take may read past the last element it uses.</summary>
    public const int ReadSlack = 32;

    /// <summary>Tests switch this off to run the scalar paths that machines without AVX-512 take.</summary>
    internal static bool Enabled { get; set; } = true;

    public static bool IsSupported(int stride) => Enabled && Avx512F.IsSupported && (stride == 1 || stride == 2);

    // Lane i selects element 2i of the 32-float pair (lo, hi).
    private static Vector512<int> EvenLanes => Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);

    // Lane 2i takes element i of the first table, lane 2i + 1 takes element 0 of the second (a zero vector).
    private static Vector512<int> SpreadLanes => Vector512.Create(0, 16, 1, 16, 2, 16, 3, 16, 4, 16, 5, 16, 6, 16, 7, 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FirstLanes(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>
    /// For each of <paramref name="rows"/> rows: destination[row * count + ow] = source[row * sourcePitch + ow * stride],
    /// ow in [0, count); stride 1 or 2. (Patch rows of an image are short: the loop over rows lives here, not in the caller.)
    /// </summary>
    public static void Take(float* source, int sourcePitch, int stride, float* destination, int count, int rows)
    {
        if (count <= 16)
        {
            // One vector per row, the common case: a whole output row fits in 16 lanes.
            Vector512<float> mask = FirstLanes(count);
            for (int row = 0; row < rows; row++, source += sourcePitch, destination += count)
            {
                Avx512F.MaskStore(destination, mask, Pick(source, stride));
            }
            return;
        }
        for (int row = 0; row < rows; row++, source += sourcePitch, destination += count)
        {
            for (int ow = 0; ow < count; ow += 16)
            {
                int lanes = Math.Min(16, count - ow);
                Vector512<float> values = Pick(source + stride * ow, stride);
                if (lanes == 16)
                {
                    Vector512.Store(values, destination + ow);
                }
                else
                {
                    Avx512F.MaskStore(destination + ow, FirstLanes(lanes), values);
                }
            }
        }
    }

    /// <summary>
    /// For each of <paramref name="rows"/> rows: destination[row * destinationPitch + ow * stride] += source[row * count + ow],
    /// ow in [0, count); stride 1 or 2.
    /// </summary>
    public static void Give(float* source, int count, int stride, float* destination, int destinationPitch, int rows)
    {
        int step = 16 / stride;
        for (int row = 0; row < rows; row++, source += count, destination += destinationPitch)
        {
            for (int ow = 0; ow < count; ow += step)
            {
                int lanes = Math.Min(step, count - ow);
                Vector512<float> values = Avx512F.MaskLoad(source + ow, FirstLanes(lanes), Vector512<float>.Zero);
                Vector512<float> mask = FirstLanes(stride * lanes - stride + 1);
                if (stride == 2)
                {
                    values = Avx512F.PermuteVar16x32x2(values, SpreadLanes, Vector512<float>.Zero);
                }
                float* target = destination + stride * ow;
                Avx512F.MaskStore(target, mask, Avx512F.MaskLoad(target, mask, Vector512<float>.Zero) + values);
            }
        }
    }

    // 16 elements source[0], source[stride], ... (stride 1 or 2).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pick(float* source, int stride) => stride == 1
        ? Vector512.Load(source)
        : Avx512F.PermuteVar16x32x2(Vector512.Load(source), EvenLanes, Vector512.Load(source + 16));

    /// <summary>destination[i] = source[i] for i in [0, count).</summary>
    public static void Copy(float* source, float* destination, int count)
    {
        for (int i = 0; i < count; i += 16)
        {
            int lanes = Math.Min(16, count - i);
            if (lanes == 16)
            {
                Vector512.Store(Vector512.Load(source + i), destination + i);
            }
            else
            {
                Vector512<float> mask = FirstLanes(lanes);
                Avx512F.MaskStore(destination + i, mask, Avx512F.MaskLoad(source + i, mask, Vector512<float>.Zero));
            }
        }
    }

    /// <summary>destination[i] += source[i] for i in [0, count).</summary>
    public static void Add(float* source, float* destination, int count)
    {
        for (int i = 0; i < count; i += 16)
        {
            int lanes = Math.Min(16, count - i);
            if (lanes == 16)
            {
                Vector512.Store(Vector512.Load(destination + i) + Vector512.Load(source + i), destination + i);
            }
            else
            {
                Vector512<float> mask = FirstLanes(lanes);
                Vector512<float> sum = Avx512F.MaskLoad(destination + i, mask, Vector512<float>.Zero)
                    + Avx512F.MaskLoad(source + i, mask, Vector512<float>.Zero);
                Avx512F.MaskStore(destination + i, mask, sum);
            }
        }
    }
}
