// The one check of a --threads value for the commands that hand it to ONNX Runtime (evaluate --iw-samples,
// anomaly-demo): 0 or absent lets ONNX Runtime choose, otherwise 1 to EngineThreads.MaxCount, as the trainer's own
// engine allows. Without the upper bound, ONNX Runtime tried to create the threads and failed with std::bad_alloc.
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Cli;

public static class ThreadOption
{
    /// <summary>The intra-op thread count for ONNX Runtime (0: its choice); throws a CliUsageException outside 0 to MaxCount.</summary>
    public static int ForOnnxRuntime(int? threads) => threads switch
    {
        null => 0,
        >= 0 and <= EngineThreads.MaxCount => threads.Value,
        _ => throw new CliUsageException(
            $"--threads {threads} is not usable; give 1 to {EngineThreads.MaxCount} (0 or leaving it out lets ONNX Runtime choose, one per core)."),
    };
}
