// The register-blocked inner kernels of Gemm: each multiplies one packed MR-row panel of A by one packed NR-column
// panel of B over kc steps, keeping the MR x NR block of C in registers, then applies C = alpha * acc + beta * C.
// Packed layouts (see GemmPacking): a[p * MR + r] and b[p * NR + j]. Every C element is one accumulator that sums
// its kc products in order p = 0, 1, ..., with one fused multiply-add each in the vector kernels, so the 256- and
// 512-bit kernels give bit-identical results. The scalar kernel is the plain-arithmetic line for machines without SIMD.
// They do not handle partial tiles: Gemm runs edge tiles through a scratch tile.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VaeOnnx.Trainer.Engine.Kernels;

internal static unsafe class GemmMicroKernels
{
    /// <summary>4 x 4 scalar tile: the specification of the vector kernels, minus fused multiply-adds.</summary>
    public static void Scalar4x4(float* a, float* b, int kc, float* c, int ldc, float alpha, float beta)
    {
        const int MR = 4, NR = 4;
        float* acc = stackalloc float[MR * NR];
        for (int i = 0; i < MR * NR; i++)
        {
            acc[i] = 0f;
        }
        for (int p = 0; p < kc; p++, a += MR, b += NR)
        {
            for (int r = 0; r < MR; r++)
            {
                float ar = a[r];
                for (int j = 0; j < NR; j++)
                {
                    acc[r * NR + j] += ar * b[j];
                }
            }
        }
        for (int r = 0; r < MR; r++)
        {
            for (int j = 0; j < NR; j++)
            {
                float value = alpha == 1f ? acc[r * NR + j] : acc[r * NR + j] * alpha;
                if (beta != 0f)
                {
                    value = beta == 1f ? value + c[r * ldc + j] : value + c[r * ldc + j] * beta;
                }
                c[r * ldc + j] = value;
            }
        }
    }

    /// <summary>6 x 16 tile in 12 256-bit accumulators (AVX2 has 16 vector registers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vector256x6x16(float* a, float* b, int kc, float* c, int ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += 6, b += 16)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> ar = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(ar, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(ar, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(ar, b1, c31);
            ar = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(ar, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(ar, b1, c41);
            ar = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(ar, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(ar, b1, c51);
        }
        Update(c, c00, alpha, beta);
        Update(c + 8, c01, alpha, beta);
        Update(c + ldc, c10, alpha, beta);
        Update(c + ldc + 8, c11, alpha, beta);
        Update(c + 2 * ldc, c20, alpha, beta);
        Update(c + 2 * ldc + 8, c21, alpha, beta);
        Update(c + 3 * ldc, c30, alpha, beta);
        Update(c + 3 * ldc + 8, c31, alpha, beta);
        Update(c + 4 * ldc, c40, alpha, beta);
        Update(c + 4 * ldc + 8, c41, alpha, beta);
        Update(c + 5 * ldc, c50, alpha, beta);
        Update(c + 5 * ldc + 8, c51, alpha, beta);
    }

    /// <summary>
    /// 8 x 32 tile in 16 512-bit accumulators: 16 independent FMA chains cover the FMA latency (4 cycles x 2 pipes)
    /// twice over, and 8 rows divide every channel count of the VAEs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vector512x8x32(float* a, float* b, int kc, float* c, int ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++, a += 8, b += 32)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ar = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(ar, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ar, b1, c01);
            ar = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(ar, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(ar, b1, c11);
            ar = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(ar, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(ar, b1, c21);
            ar = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(ar, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(ar, b1, c31);
            ar = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(ar, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(ar, b1, c41);
            ar = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(ar, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(ar, b1, c51);
            ar = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(ar, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(ar, b1, c61);
            ar = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(ar, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(ar, b1, c71);
        }
        Update(c, c00, alpha, beta);
        Update(c + 16, c01, alpha, beta);
        Update(c + ldc, c10, alpha, beta);
        Update(c + ldc + 16, c11, alpha, beta);
        Update(c + 2 * ldc, c20, alpha, beta);
        Update(c + 2 * ldc + 16, c21, alpha, beta);
        Update(c + 3 * ldc, c30, alpha, beta);
        Update(c + 3 * ldc + 16, c31, alpha, beta);
        Update(c + 4 * ldc, c40, alpha, beta);
        Update(c + 4 * ldc + 16, c41, alpha, beta);
        Update(c + 5 * ldc, c50, alpha, beta);
        Update(c + 5 * ldc + 16, c51, alpha, beta);
        Update(c + 6 * ldc, c60, alpha, beta);
        Update(c + 6 * ldc + 16, c61, alpha, beta);
        Update(c + 7 * ldc, c70, alpha, beta);
        Update(c + 7 * ldc + 16, c71, alpha, beta);
    }

    // C = alpha * acc + beta * C with the scalar kernel's operation order (multiply, then add; never fused), and C not
    // read when beta is 0, so NaNs in an output buffer being overwritten do not leak in.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> acc, float alpha, float beta)
    {
        if (alpha != 1f)
        {
            acc *= alpha;
        }
        if (beta != 0f)
        {
            acc = beta == 1f ? acc + Vector256.Load(c) : acc + Vector256.Load(c) * beta;
        }
        Vector256.Store(acc, c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> acc, float alpha, float beta)
    {
        if (alpha != 1f)
        {
            acc *= alpha;
        }
        if (beta != 0f)
        {
            acc = beta == 1f ? acc + Vector512.Load(c) : acc + Vector512.Load(c) * beta;
        }
        Vector512.Store(acc, c);
    }
}
