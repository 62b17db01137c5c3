// The trainer's --threads: for the training engine (train, bench, anomaly-demo's training: EngineThreads) and for the
// commands that hand it to ONNX Runtime (evaluate --iw-samples, anomaly-demo's scoring). The bound and its wording
// are Core's ThreadCount, shared with the runtime CLI and the service; this only turns a refusal into a
// CliUsageException.
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Cli;

public static class ThreadOption
{
    /// <summary>The intra-op thread count for ONNX Runtime (0: its choice); throws a CliUsageException outside 0 to MaxCount.</summary>
    public static int ForOnnxRuntime(int? threads) => threads is null
        ? 0
        : ThreadCount.ProblemForOnnxRuntime(threads.Value, "--threads") is string problem ? throw new CliUsageException(problem) : threads.Value;

    /// <summary>
    /// Sets the engine's thread count (EngineThreads.Count) when <paramref name="threads"/> is given, and returns the
    /// count in use; throws a CliUsageException outside 1 to ThreadCount.MaxCount.
    /// </summary>
    public static int ApplyToEngine(int? threads)
    {
        if (threads is int n)
        {
            EngineThreads.Count = n is >= 1 and <= ThreadCount.MaxCount
                ? n
                : throw new CliUsageException($"--threads {n} is not usable; give 1 to {ThreadCount.MaxCount} threads (default: all {Environment.ProcessorCount} cores).");
        }
        return EngineThreads.Count;
    }
}
