// `info`: what a model folder holds (metadata, graph inputs and outputs) and what ONNX Runtime offers here
// (version, library path, execution providers compiled in).
using System.CommandLine;

using VaeOnnx.Runtime.Core;

using VaeOnnx.Runtime.Core.Inference;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class InfoCommand : CliCommand
{
    private readonly ModelOptions _model = new();

    public override string Name => "info";

    public override string Description => "Show a model's metadata and graphs, and the ONNX Runtime library and providers available.";

    protected override void AddOptions(Command command) => _model.AddTo(command);

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        using var model = _model.Load(parseResult);
        var m = model.Metadata;
        output.WriteLine($"model:        {model.Folder}");
        output.WriteLine($"images:       {m.Channels} x {m.Height} x {m.Width} (channels x height x width)");
        output.WriteLine($"latent size:  {m.LatentSize}");
        output.WriteLine($"likelihood:   {VaeContract.LikelihoodText(m.Likelihood)}{(model.HasLogits ? " (decoder also outputs logits)" : "")}");
        output.WriteLine("properties:");
        foreach (var (key, value) in m.Properties.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {key} = {value}");
        }
        foreach (var graph in new[] { model.EncoderGraph, model.DecoderGraph })
        {
            output.WriteLine($"{graph.FileName}:");
            output.WriteLine($"  inputs:     {string.Join(", ", graph.Inputs)}");
            output.WriteLine($"  outputs:    {string.Join(", ", graph.Outputs)}");
            output.WriteLine($"  producer:   {graph.ProducerName}");
        }
        output.WriteLine($"running on:   {model.Provider.ToString().ToLowerInvariant()}" +
            (model.ProviderFallbackReason is { } reason ? $" (fallback: {OneLine(reason)})" : ""));
        output.WriteLine($"onnxruntime:  {OnnxRuntimeInfo.Version}");
        output.WriteLine($"providers:    {string.Join(", ", OnnxRuntimeInfo.AvailableProviders)} (compiled in; cuda also needs CUDA 13, cuDNN 9 and a GPU)");
        return Success;
    }
}
