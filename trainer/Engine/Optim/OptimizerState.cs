// An optimizer's state as plain data, for checkpoints: its kind, its step count, its hyper-parameters and its
// per-parameter buffers by name. It does not know the file format (Serialization does).
namespace VaeOnnx.Trainer.Engine.Optim;

public sealed record OptimizerState(
    string Kind,
    long Step,
    IReadOnlyDictionary<string, double> Settings,
    IReadOnlyList<NamedBuffer> Buffers);

/// <summary>A named float buffer, e.g. "encoder.conv1.weight.exp_avg".</summary>
public sealed record NamedBuffer(string Name, float[] Data);
