// The one bound on a thread count the user gives (the trainer's --threads for its engine, the runtime's and the
// trainer's --threads for ONNX Runtime's intra-op pool, the service's Inference.IntraOpThreads): 1 to MaxCount, with 0
// meaning "let ONNX Runtime choose" where ONNX Runtime takes it. Without the upper bound `--threads 100000` made
// ONNX Runtime create the threads: memory grew ~48 MB/s, the run never finished and `serve` ignored SIGTERM.
// It only checks and words the refusal; callers wrap the text in their own exception type.
namespace VaeOnnx.Runtime.Core.Text;

/// <summary>The one bound on a thread count a user gives: 1 to <see cref="MaxCount"/>, 0 meaning "ONNX Runtime chooses" where it takes that.</summary>
public static class ThreadCount
{
    /// <summary>Upper bound on any thread count; more threads than this never helps a 2-to-64-core box.</summary>
    public const int MaxCount = 256;

    /// <summary>Null when <paramref name="threads"/> is 0 (ONNX Runtime chooses) or 1 to MaxCount; otherwise the refusal, naming <paramref name="option"/>.</summary>
    public static string? ProblemForOnnxRuntime(long threads, string option) => threads is >= 0 and <= MaxCount
        ? null
        : $"{option} {threads} is not usable; give 1 to {MaxCount} (0 or leaving it out lets ONNX Runtime choose, one per core).";
}
