// The dense-algebra ops on the CPU: the packed, register-blocked GEMM of ../../Kernels/Gemm.cs (threads, AVX-512)
// and the row-broadcast and row-sum that a Linear layer's bias needs. GemmGpu.cs beside it is the GPU version.
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Backends.Dense;

public static class GemmCpu
{
    /// <summary>c (m x n) = op(a) op(b) + beta c over dense row-major tensors.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, Tensor a, Tensor b, float beta, Tensor c) =>
        Kernels.Gemm.Multiply(transA, transB, m, n, k, 1f, a.Span, transA ? m : k, b.Span, transB ? k : n, beta, c.Span, n);

    /// <summary>Every row of y becomes a copy of the bias.</summary>
    public static void FillRows(Tensor bias, int rows, Tensor y)
    {
        ReadOnlySpan<float> b = bias.Span;
        Span<float> output = y.Span;
        for (int row = 0; row < rows; row++)
        {
            b.CopyTo(output.Slice(row * b.Length, b.Length));
        }
    }

    /// <summary>sums = the sum of x's rows, added in row order.</summary>
    public static void SumRows(Tensor x, int rows, Tensor sums)
    {
        Span<float> total = sums.Span;
        ReadOnlySpan<float> values = x.Span;
        total.Clear();
        for (int row = 0; row < rows; row++)
        {
            TensorPrimitives.Add(total, values.Slice(row * total.Length, total.Length), total);
        }
    }
}
