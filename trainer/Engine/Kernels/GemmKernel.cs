// Which micro-kernel Gemm runs. Each is deterministic; the two vector kernels give identical bits.
namespace VaeOnnx.Trainer.Engine.Kernels;

public enum GemmKernel
{
    /// <summary>Plain scalar arithmetic (4 x 4 tiles), for machines without SIMD.</summary>
    Scalar,

    /// <summary>AVX2/FMA-class 256-bit vectors (6 x 16 tiles).</summary>
    Vector256,

    /// <summary>AVX-512 vectors (8 x 32 tiles).</summary>
    Vector512,
}
