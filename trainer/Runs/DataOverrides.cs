// What a command may change about the data of a run it opens (RunFolder.Open) without changing the run: where the
// files are, how many test images to use, how they are binarized, whether every label is kept. A null keeps the run's
// own setting from its config.json.
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Trainer.Runs;

public sealed record DataOverrides
{
    /// <summary>No change: the data exactly as the run was trained.</summary>
    public static DataOverrides None { get; } = new();

    /// <summary>--data: another folder holding the same dataset's files.</summary>
    public string? DataFolder { get; init; }

    /// <summary>--test-limit: use only the first N test images.</summary>
    public int? TestLimit { get; init; }

    /// <summary>Use only the first N training images (a command that needs only the test split asks for 1).</summary>
    public int? TrainLimit { get; init; }

    /// <summary>--binarize for evaluation.</summary>
    public Binarization? Binarize { get; init; }

    /// <summary>Keep every label, not only the ones the run was trained on (the anomaly demo needs the held-out ones).</summary>
    public bool AllLabels { get; init; }

    /// <summary>The run's request with these changes.</summary>
    public DatasetRequest ApplyTo(DatasetRequest request) => request with
    {
        DataFolder = DataFolder ?? request.DataFolder,
        TestLimit = TestLimit ?? request.TestLimit,
        TrainLimit = TrainLimit ?? request.TrainLimit,
        Binarize = Binarize ?? request.Binarize,
        Labels = AllLabels ? null : request.Labels,
    };
}
