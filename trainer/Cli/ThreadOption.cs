// The trainer's --threads for the commands that hand it to ONNX Runtime (evaluate --iw-samples, anomaly-demo): the
// bound and its wording are Core's ThreadCount, shared with the runtime CLI and the service; this only turns the
// refusal into the trainer's CliUsageException.
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Cli;

public static class ThreadOption
{
    /// <summary>The intra-op thread count for ONNX Runtime (0: its choice); throws a CliUsageException outside 0 to MaxCount.</summary>
    public static int ForOnnxRuntime(int? threads) => threads is null
        ? 0
        : ThreadCount.ProblemForOnnxRuntime(threads.Value, "--threads") is string problem ? throw new CliUsageException(problem) : threads.Value;
}
