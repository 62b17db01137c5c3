// How a session runs: execution provider (cpu, or cuda with a device id), threads and graph optimization.
// Plain settings; they are checked where a session is created (SessionFactory), not here.
namespace VaeOnnx.Runtime.Core.Inference;

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
    /// <summary>Where the graph runs. Cuda needs the GPU build (OnnxRuntimeFlavor=Gpu), CUDA 13, cuDNN 9 and a GPU.</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>CUDA device ordinal; ignored for Cpu.</summary>
    public int DeviceId { get; init; }

    /// <summary>Threads one Run may use; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    public GraphOptimization Optimization { get; init; } = GraphOptimization.All;

    /// <summary>When the requested provider cannot start, run on the CPU instead of failing. Off by default.</summary>
    public bool AllowCpuFallback { get; init; }
}
