// What a training run uses besides its TrainingConfig, none of which changes its result: the device it runs on (opened
// by the caller, who disposes it), where a GPU keeps the training set, where missing dataset files come from, and the
// memory it must fit in. The engine's thread count is the process-wide EngineThreads.Count.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Training;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Trainer.Runs;

public sealed record RunEnvironment(ComputeDevice Device)
{
    /// <summary>--device-data: resident, streamed or chosen automatically (no effect on the CPU).</summary>
    public DeviceData DeviceData { get; init; } = DeviceData.Auto;

    /// <summary>Fetches missing dataset files; null: report them missing.</summary>
    public DatasetDownloader? Downloader { get; init; }

    /// <summary>The bytes the process may use, asked before and after loading the data (MemoryBudget.ProcessAvailableBytes).</summary>
    public Func<long> AvailableBytes { get; init; } = MemoryBudget.ProcessAvailableBytes;
}
