// The options every model command shares: --model, --provider, --device-id, --threads, --cpu-fallback; and loading
// the VaeModel they describe. Kept in one place so every command spells and checks them the same way.
using System.CommandLine;

using VaeOnnx.Runtime.Core;

using VaeOnnx.Runtime.Core.Inference;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model", "-m")
    {
        Description = "Model folder holding encoder.onnx and decoder.onnx (a trainer run's output).",
        Required = true,
        HelpName = "DIR",
    };

    public Option<string> Provider { get; } = new("--provider")
    {
        Description = "Execution provider: cpu, or cuda (needs a GPU build of ONNX Runtime; see runtime/README.md).",
        DefaultValueFactory = _ => "cpu",
    };

    public Option<int> DeviceId { get; } = new("--device-id")
    {
        Description = "CUDA device ordinal.",
        DefaultValueFactory = _ => 0,
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = $"Intra-op threads per run, 1 to {ThreadCount.MaxCount}; 0 lets ONNX Runtime choose.",
        DefaultValueFactory = _ => 0,
    };

    public Option<bool> CpuFallback { get; } = new("--cpu-fallback")
    {
        Description = "Run on the CPU when the requested provider cannot start, instead of failing.",
    };

    public ModelOptions()
    {
        Provider.AcceptOnlyFromAmong("cpu", "cuda");
    }

    public void AddTo(Command command)
    {
        command.Add(Model);
        command.Add(Provider);
        command.Add(DeviceId);
        command.Add(Threads);
        command.Add(CpuFallback);
    }

    /// <summary>The inference options the flags describe; --threads is bounded (Core ThreadCount) and --device-id is at least 0.</summary>
    public InferenceOptions InferenceOptions(ParseResult parseResult)
    {
        int threads = parseResult.GetValue(Threads);
        if (ThreadCount.ProblemForOnnxRuntime(threads, "--threads") is string problem)
        {
            throw new CliUsageException(problem);
        }
        int deviceId = parseResult.GetValue(DeviceId);
        if (deviceId < 0)
        {
            throw new CliUsageException($"--device-id {deviceId} is not a device; give a CUDA device ordinal, 0 or more (0 is the first GPU).");
        }
        return new()
        {
            Provider = parseResult.GetValue(Provider) == "cuda" ? ExecutionProvider.Cuda : ExecutionProvider.Cpu,
            DeviceId = deviceId,
            IntraOpThreads = threads,
            AllowCpuFallback = parseResult.GetValue(CpuFallback),
        };
    }

    public VaeModel Load(ParseResult parseResult)
    {
        var options = InferenceOptions(parseResult);
        return VaeModel.Load(CheckedFolder(parseResult), options);
    }

    /// <summary>The --model value, refused in one line when it is a file or missing (before ONNX Runtime starts).</summary>
    public string CheckedFolder(ParseResult parseResult)
    {
        return InputPath.Folder(parseResult.GetValue(Model)!, "--model", "give the model folder that holds encoder.onnx and decoder.onnx (a trainer run's output)");
    }
}
