// The CUDA libraries the GPU build of ONNX Runtime (Microsoft.ML.OnnxRuntime.Gpu 1.31, a CUDA 13 build) loads at
// run time, probed with NativeLibrary.TryLoad before the CUDA provider is appended, so a request for CUDA on a
// machine without them names exactly what is missing instead of ORT's generic load error. It does not look for a
// GPU (ORT reports that when the provider starts) and never falls back to the CPU by itself.
using System.Runtime.InteropServices;

namespace VaeOnnx.Runtime.Core.Inference;

internal static class CudaLibraries
{
    /// <summary>The file names needed on this platform: CUDA runtime, cuBLAS, cuBLASLt, cuRAND, cuDNN 9.</summary>
    public static IReadOnlyList<string> Required { get; } = OperatingSystem.IsWindows()
        ? ["cudart64_13.dll", "cublas64_13.dll", "cublasLt64_13.dll", "curand64_10.dll", "cudnn64_9.dll"]
        : ["libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcurand.so.10", "libcudnn.so.9"];

    /// <summary>The required libraries that the dynamic loader cannot find; empty when all load.</summary>
    public static IReadOnlyList<string> Missing()
    {
        var missing = new List<string>();
        foreach (var name in Required)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                NativeLibrary.Free(handle);
            }
            else
            {
                missing.Add(name);
            }
        }
        return missing;
    }
}
