// Copies blocks of op(A) and op(B) into the contiguous panel layout the micro-kernels stream through:
//   A block (rows, kc) -> panels of MR rows, element (r, p) of a panel at [p * MR + r]
//   B block (kc, cols) -> panels of NR columns, element (p, j) of a panel at [p * NR + j]
// Panels follow each other (panel t starts at t * MR * kc, resp. t * NR * kc), and a last partial panel is padded with
// zeros, so edge tiles run the same kernel. Transposition is absorbed here: the kernels only ever see one layout.
// It does not scale by alpha (Gemm applies alpha to the accumulators) and does not check bounds (Gemm validated them).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VaeOnnx.Trainer.Engine.Kernels;

internal static unsafe class GemmPacking
{
    /// <summary>Packs rows [i0, i0 + rows) and depth [p0, p0 + kc) of op(A), op(A) = transA ? A^T : A.</summary>
    public static void PackA(bool transA, float* a, int lda, int i0, int rows, int p0, int kc, int mr, float* destination)
    {
        for (int panel = 0; panel < rows; panel += mr, destination += mr * kc)
        {
            int height = Math.Min(mr, rows - panel);
            if (height < mr)
            {
                new Span<float>(destination, mr * kc).Clear();
            }
            if (transA)
            {
                // op(A)[i, p] = a[p * lda + i]: a panel row-step is contiguous in memory.
                float* source = a + (long)p0 * lda + i0 + panel;
                for (int p = 0; p < kc; p++, source += lda)
                {
                    float* d = destination + p * mr;
                    if (height == 8 && mr == 8)
                    {
                        Vector256.Store(Vector256.Load(source), d);
                        continue;
                    }
                    for (int r = 0; r < height; r++)
                    {
                        d[r] = source[r];
                    }
                }
            }
            else
            {
                // op(A)[i, p] = a[i * lda + p]: eight rows at a time are transposed in registers.
                float* source = a + (long)(i0 + panel) * lda + p0;
                int p = 0;
                if (height == 8 && mr == 8 && Avx.IsSupported)
                {
                    for (; p + 8 <= kc; p += 8)
                    {
                        Transpose8x8(source + p, lda, destination + p * 8, 8);
                    }
                }
                for (int r = 0; r < height; r++)
                {
                    float* row = source + (long)r * lda;
                    for (int q = p; q < kc; q++)
                    {
                        destination[q * mr + r] = row[q];
                    }
                }
            }
        }
    }

    /// <summary>Packs depth [p0, p0 + kc) and columns [j0, j0 + cols) of op(B), op(B) = transB ? B^T : B.</summary>
    public static void PackB(bool transB, float* b, int ldb, int p0, int kc, int j0, int cols, int nr, float* destination)
    {
        for (int panel = 0; panel < cols; panel += nr, destination += nr * kc)
        {
            int width = Math.Min(nr, cols - panel);
            if (width < nr)
            {
                new Span<float>(destination, nr * kc).Clear();
            }
            if (transB)
            {
                // op(B)[p, j] = b[j * ldb + p]: groups of eight stored rows are transposed in registers.
                float* source = b + (long)(j0 + panel) * ldb + p0;
                int j = 0;
                if (Avx.IsSupported)
                {
                    for (; j + 8 <= width; j += 8)
                    {
                        int p = 0;
                        for (; p + 8 <= kc; p += 8)
                        {
                            Transpose8x8(source + (long)j * ldb + p, ldb, destination + p * nr + j, nr);
                        }
                        for (int jj = j; jj < j + 8; jj++)
                        {
                            for (int q = p; q < kc; q++)
                            {
                                destination[q * nr + jj] = source[(long)jj * ldb + q];
                            }
                        }
                    }
                }
                for (; j < width; j++)
                {
                    float* column = source + (long)j * ldb;
                    for (int p = 0; p < kc; p++)
                    {
                        destination[p * nr + j] = column[p];
                    }
                }
            }
            else
            {
                float* source = b + (long)p0 * ldb + j0 + panel;
                for (int p = 0; p < kc; p++, source += ldb)
                {
                    float* d = destination + p * nr;
                    if (width == nr)
                    {
                        CopyFull(source, d, nr);
                        continue;
                    }
                    for (int j = 0; j < width; j++)
                    {
                        d[j] = source[j];
                    }
                }
            }
        }
    }

    /// <summary>Writes the transpose of the 8 x 8 block at source (row stride ld) to destination (row stride ldd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* source, int ld, float* destination, int ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + ld);
        Vector256<float> r2 = Avx.LoadVector256(source + 2 * ld), r3 = Avx.LoadVector256(source + 3 * ld);
        Vector256<float> r4 = Avx.LoadVector256(source + 4 * ld), r5 = Avx.LoadVector256(source + 5 * ld);
        Vector256<float> r6 = Avx.LoadVector256(source + 6 * ld), r7 = Avx.LoadVector256(source + 7 * ld);
        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves: the classic 24-shuffle transpose.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }

    private static void CopyFull(float* source, float* destination, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= count; i += 16)
            {
                Vector512.Store(Vector512.Load(source + i), destination + i);
            }
        }
        for (; i + 8 <= count; i += 8)
        {
            Vector256.Store(Vector256.Load(source + i), destination + i);
        }
        for (; i < count; i++)
        {
            destination[i] = source[i];
        }
    }
}
