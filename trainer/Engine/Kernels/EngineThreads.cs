// The one thread-count setting of the training engine: how many threads its parallel kernels use.
// It does not pin threads or size caches; kernels read it at each call, so the trainer's --threads takes effect at once.
// Its upper bound is the one bound on user thread counts, ThreadCount.MaxCount (runtime Core).
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Engine.Kernels;

public static class EngineThreads
{
    private static int _count = Math.Clamp(Environment.ProcessorCount, 1, ThreadCount.MaxCount);

    /// <summary>Threads the engine's kernels use, the calling thread included. Defaults to Environment.ProcessorCount.</summary>
    public static int Count
    {
        get => Volatile.Read(ref _count);
        set
        {
            if (value < 1 || value > ThreadCount.MaxCount)
            {
                throw new ArgumentOutOfRangeException(nameof(value),
                    $"Engine thread count must be between 1 and {ThreadCount.MaxCount}; got {value}. Use 1 for a serial run.");
            }
            Volatile.Write(ref _count, value);
        }
    }
}
