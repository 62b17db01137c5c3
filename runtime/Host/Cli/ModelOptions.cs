// The options every model command shares: --model, --provider, --device-id, --threads, --cpu-fallback; and loading
// the VaeModel they describe. Kept in one place so every command spells and checks them the same way.
using System.CommandLine;

using VaeOnnx.Runtime.Core;

using VaeOnnx.Runtime.Core.Inference;

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
        Description = "Intra-op threads per run; 0 lets ONNX Runtime choose.",
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

    public InferenceOptions InferenceOptions(ParseResult parseResult) => new()
    {
        Provider = parseResult.GetValue(Provider) == "cuda" ? ExecutionProvider.Cuda : ExecutionProvider.Cpu,
        DeviceId = parseResult.GetValue(DeviceId),
        IntraOpThreads = parseResult.GetValue(Threads),
        AllowCpuFallback = parseResult.GetValue(CpuFallback),
    };

    public VaeModel Load(ParseResult parseResult) =>
        VaeModel.Load(parseResult.GetValue(Model)!, InferenceOptions(parseResult));
}
