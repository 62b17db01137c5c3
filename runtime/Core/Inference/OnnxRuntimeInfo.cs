// What ONNX Runtime build this process carries, for `info`, `bench` and messages: its version and the execution
// providers compiled into the native library of the package the build chose (CPU or GPU flavour).
using Microsoft.ML.OnnxRuntime;

namespace VaeOnnx.Runtime.Core.Inference;

/// <summary>The ONNX Runtime build this process carries: its version and the execution providers compiled into it.</summary>
public static class OnnxRuntimeInfo
{
    /// <summary>The native library's version string, e.g. "1.31.0".</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>Providers compiled in (CUDA also needs the CUDA libraries and a GPU at run time).</summary>
    public static IReadOnlyList<string> AvailableProviders => OrtEnv.Instance().GetAvailableProviders();
}
