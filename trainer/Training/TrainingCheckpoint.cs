// A run's checkpoint.bin in the engine's checkpoint format (Engine/Serialization: atomic write, SHA-256 checked):
// the network's parameters, Adam's state, the three training generators (as RandomStates "shuffle_epoch_start",
// "noise" and "binarization") and the rest of the TrainingState (config, architecture, progress, metrics) as JSON
// in the metadata. Loading rebuilds the network from the stored architecture, so export and evaluate need nothing
// but this file.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Engine.Serialization;
using VaeOnnx.Trainer.Models;

using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Training;

public sealed class TrainingCheckpoint(VaeNetwork network, Adam optimizer, TrainingState state)
{
    public const string StateKey = "vaeonnx.training_state";
    public const string ShuffleKey = "shuffle_epoch_start";
    public const string NoiseKey = "noise";
    public const string BinarizationKey = "binarization";

    public VaeNetwork Network { get; } = network;

    public Adam Optimizer { get; } = optimizer;

    public TrainingState State { get; } = state;

    /// <summary>A run folder means its checkpoint.bin; a file path is taken as it is.</summary>
    public static string PathIn(string runFolderOrFile) =>
        Directory.Exists(runFolderOrFile) ? Path.Combine(runFolderOrFile, RunFiles.Checkpoint) : runFolderOrFile;

    public void Save(string path)
    {
        var randoms = new Dictionary<string, RandomSource>
        {
            [ShuffleKey] = Generator(State.ShuffleAtEpochStart),
            [NoiseKey] = Generator(State.Noise),
            [BinarizationKey] = Generator(State.Binarization),
        };
        var metadata = new Dictionary<string, string> { [StateKey] = State.ToJson() };
        CheckpointFile.Save(path, Checkpoint.Capture(Network.Parameters, Optimizer, randoms, metadata));
    }

    public static TrainingCheckpoint Load(string path)
    {
        if (InputPaths.FolderInsteadOfFile(path, "a checkpoint file") is string wrongKind)
        {
            throw new CheckpointException($"{wrongKind}; give a run folder or its {RunFiles.Checkpoint} file.");
        }
        if (!File.Exists(path))
        {
            throw new CheckpointException(Directory.Exists(Path.GetDirectoryName(path)) && Path.GetFileName(path) == RunFiles.Checkpoint
                ? $"{UserText.Path(Path.GetDirectoryName(path))} holds no {RunFiles.Checkpoint}; it is not a run folder of this trainer (or its first epoch never finished)."
                : $"Checkpoint {UserText.Path(path)} does not exist; give a run folder or its {RunFiles.Checkpoint}.");
        }
        try
        {
            Checkpoint checkpoint = CheckpointFile.Load(path);
            if (!checkpoint.Metadata.TryGetValue(StateKey, out string? json))
            {
                throw new CheckpointException($"{path} has no training state ({StateKey}); it was not written by the VaeOnnx trainer.");
            }
            TrainingState state = TrainingState.FromJson(json, path);
            VaeArchitecture architecture = state.Architecture;
            try
            {
                architecture.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CheckpointException($"{path}: the stored architecture is not usable ({e.Message}).");
            }
            VaeNetwork network = VaeNetwork.Create(architecture);
            checkpoint.RestoreParameters(network.Parameters);
            var optimizer = new Adam(network.Parameters, new AdamOptions(LearningRate: state.Config.LearningRate));
            checkpoint.RestoreOptimizer(optimizer);
            state = state with
            {
                ShuffleAtEpochStart = Restored(checkpoint, ShuffleKey),
                Noise = Restored(checkpoint, NoiseKey),
                Binarization = Restored(checkpoint, BinarizationKey),
            };
            return new TrainingCheckpoint(network, optimizer, state);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException(e.Message);
        }
    }

    private static ulong[] Restored(Checkpoint checkpoint, string name)
    {
        var random = new RandomSource(0);
        checkpoint.RestoreRandom(name, random);
        return random.GetState();
    }

    private static RandomSource Generator(ulong[] state)
    {
        var random = new RandomSource(0);
        random.SetState(state);
        return random;
    }
}

/// <summary>A checkpoint that cannot be used: missing, corrupt, or from another network; the message names the file.</summary>
public sealed class CheckpointException(string message) : Exception(message);
