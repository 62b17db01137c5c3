// Where a run stands, beyond its weights and optimizer moments: the config, the architecture, how far it got
// (epochs done, and batches done of the current epoch when it was interrupted), the partial sums of that epoch,
// every generator's state, and the metrics history. Stored as JSON inside the checkpoint's metadata, so that
// resuming from any checkpoint continues exactly where the run stopped.
// Generators: the shuffle generator is saved as it was when the current epoch STARTED (the epoch's order is redrawn
// from it on resume); the noise and binarization generators as they are at the moment of saving. They are stored as
// the checkpoint's RandomStates (see TrainingCheckpoint), the rest as JSON in its metadata.
using System.Text.Json;
using System.Text.Json.Serialization;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Trainer.Training;

public sealed record TrainingState
{
    public required TrainingConfig Config { get; init; }

    /// <summary>The network's shape, stored as it is (its defining values; Validate it after reading).</summary>
    public required VaeArchitecture Architecture { get; init; }

    /// <summary>Dataset name as written in model metadata, e.g. "mnist".</summary>
    public required string DatasetName { get; init; }

    /// <summary>Complete epochs.</summary>
    public int EpochsDone { get; init; }

    /// <summary>Batches done of epoch EpochsDone + 1 (0 at an epoch boundary).</summary>
    public int BatchesDone { get; init; }

    /// <summary>Training images per epoch when the state was saved (a resumed run checks the data still has it).</summary>
    public int TrainImages { get; init; }

    public double PartialReconstruction { get; init; }

    public double PartialKl { get; init; }

    public int PartialCount { get; init; }

    public double PartialSeconds { get; init; }

    // The generator states travel in the checkpoint's RandomStates, not in this JSON.
    [JsonIgnore]
    public ulong[] ShuffleAtEpochStart { get; init; } = [];

    [JsonIgnore]
    public ulong[] Noise { get; init; } = [];

    [JsonIgnore]
    public ulong[] Binarization { get; init; } = [];

    public List<EpochMetrics> History { get; init; } = [];

    public bool MidEpoch => BatchesDone > 0;

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions.Indented);

    public static TrainingState FromJson(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingState>(json, JsonOptions.Indented)
                ?? throw new TrainingConfigException($"{source}: the training state is empty.");
        }
        catch (JsonException e)
        {
            throw new TrainingConfigException($"{source}: the training state cannot be read ({Runtime.Core.Text.JsonErrors.Describe(e)}); the checkpoint was not written by this trainer.");
        }
    }
}
