// How a session runs: execution provider (cpu, or cuda with a device id), threads and graph optimization.
// Plain settings; they are checked where a session is created (SessionFactory), not here.
namespace VaeOnnx.Runtime.Core.Inference;

/// <summary>Where ONNX Runtime runs a graph.</summary>
public enum ExecutionProvider
{
    /// <summary>ONNX Runtime's CPU provider: every build has it.</summary>
    Cpu,
    /// <summary>NVIDIA CUDA: needs the GPU build (Microsoft.ML.OnnxRuntime.Gpu), CUDA 13, cuDNN 9 and a GPU.</summary>
    Cuda,
}

/// <summary>ONNX Runtime's graph optimization level (GraphOptimizationLevel).</summary>
public enum GraphOptimization
{
    /// <summary>No graph rewrites.</summary>
    Disabled,
    /// <summary>Semantics-preserving rewrites such as constant folding and redundant node removal.</summary>
    Basic,
    /// <summary>Basic plus node fusions.</summary>
    Extended,
    /// <summary>Every optimization, layout changes included (the default).</summary>
    All,
}

/// <summary>How a model's ONNX Runtime sessions run: the provider (and CUDA device), intra-op threads, graph optimization and whether a missing provider may fall back to the CPU. Checked when a model loads.</summary>
public sealed record InferenceOptions
{
    /// <summary>Where the graph runs. Cuda needs the GPU build (OnnxRuntimeFlavor=Gpu), CUDA 13, cuDNN 9 and a GPU.</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>CUDA device ordinal; ignored for Cpu.</summary>
    public int DeviceId { get; init; }

    /// <summary>Threads one Run may use; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>The graph optimization level; <see cref="GraphOptimization.All"/> by default.</summary>
    public GraphOptimization Optimization { get; init; } = GraphOptimization.All;

    /// <summary>When the requested provider cannot start, run on the CPU instead of failing. Off by default.</summary>
    public bool AllowCpuFallback { get; init; }
}
