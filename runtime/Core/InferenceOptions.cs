// How a session runs: execution provider, threads, graph optimization, and which native library to use.
// Plain settings; they are checked where a session is created (SessionOptionsFactory), not here.
namespace VaeOnnx.Runtime;

public enum ExecutionProvider
{
    Cpu,
    Cuda,
}

public enum GraphOptimization
{
    Disabled,
    Basic,
    Extended,
    All,
}

public sealed record InferenceOptions
{
    /// <summary>Where the graph runs. Cuda needs a GPU build of ONNX Runtime; see runtime/README.md.</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>CUDA device ordinal; ignored for Cpu.</summary>
    public int DeviceId { get; init; }

    /// <summary>Threads one Run may use; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    public GraphOptimization Optimization { get; init; } = GraphOptimization.All;

    /// <summary>When the requested provider cannot start, run on the CPU instead of failing. Off by default.</summary>
    public bool AllowCpuFallback { get; init; }

    /// <summary>A libonnxruntime.so to load instead of VAEONNX_ORT_LIBRARY / the copy beside the assembly.</summary>
    public string? LibraryPath { get; init; }
}
