// A run's checkpoint.bin: the network's parameters, Adam's state and the TrainingState (config, architecture,
// progress, generator states, metrics) in the engine's checkpoint format (atomic write, checksummed). Loading
// rebuilds the network from the stored architecture, so export and evaluate need nothing but this file.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Trainer.Training;

public sealed class TrainingCheckpoint(VaeNetwork network, Adam optimizer, TrainingState state)
{
    public const string StateKey = "vaeonnx.training_state";

    public VaeNetwork Network { get; } = network;

    public Adam Optimizer { get; } = optimizer;

    public TrainingState State { get; } = state;

    /// <summary>A run folder means its checkpoint.bin; a file path is taken as it is.</summary>
    public static string PathIn(string runFolderOrFile) =>
        Directory.Exists(runFolderOrFile) ? Path.Combine(runFolderOrFile, RunFolder.Checkpoint) : runFolderOrFile;

    public void Save(string path)
    {
        var metadata = new Dictionary<string, string> { [StateKey] = State.ToJson() };
        TempCheckpointFile.Write(path, Network.Parameters, Optimizer.ExportState(), metadata);
    }

    public static TrainingCheckpoint Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CheckpointException(Directory.Exists(Path.GetDirectoryName(path)) && Path.GetFileName(path) == RunFolder.Checkpoint
                ? $"{Path.GetDirectoryName(path)} holds no {RunFolder.Checkpoint}; it is not a run folder of this trainer (or its first epoch never finished)."
                : $"Checkpoint {path} does not exist; give a run folder or its {RunFolder.Checkpoint}.");
        }
        var (parameters, optimizerState, metadata) = TempCheckpointFile.Read(path);
        if (!metadata.TryGetValue(StateKey, out string? json))
        {
            throw new CheckpointException($"{path} has no training state ({StateKey}); it was not written by the VaeOnnx trainer.");
        }
        TrainingState state = TrainingState.FromJson(json, path);
        VaeArchitecture architecture;
        try
        {
            architecture = state.Architecture.ToArchitecture();
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{path}: the stored architecture is not usable ({e.Message}).");
        }
        VaeNetwork network = VaeNetwork.Create(architecture);
        foreach (Parameter p in network.Parameters)
        {
            if (!parameters.TryGetValue(p.Name, out float[]? values) || values.Length != p.Value.Length)
            {
                throw new CheckpointException($"{path}: parameter {p.Name} is missing or has the wrong size for {architecture.Describe()}.");
            }
            values.CopyTo(p.Value.Span);
        }
        var optimizer = new Adam(network.Parameters, new AdamOptions(LearningRate: state.Config.LearningRate));
        try
        {
            optimizer.ImportState(optimizerState);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"{path}: {e.Message}");
        }
        return new TrainingCheckpoint(network, optimizer, state);
    }
}

/// <summary>A checkpoint that cannot be used: missing, corrupt, or from another network; the message names the file.</summary>
public sealed class CheckpointException(string message) : Exception(message);
