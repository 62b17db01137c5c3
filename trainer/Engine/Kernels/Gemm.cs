// General matrix multiply, the kernel under Linear and the convolutions:
//   C (m, n) = alpha * op(A) (m, k) * op(B) (k, n) + beta * C
// Row-major with leading dimensions, op(X) = X or X^T. This file is the entry point; the scalar
// loop in GemmReference is the specification that the SIMD paths must match.
namespace VaeOnnx.Trainer.Engine.Kernels;

public static class Gemm
{
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        GemmReference.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
