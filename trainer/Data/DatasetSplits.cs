// The two halves every data source provides: images to train on and held-out images to measure the test loss on.
namespace VaeOnnx.Trainer.Data;

public sealed record DatasetSplits(ImageDataset Train, ImageDataset Test)
{
    /// <summary>The dataset's short name as written in metadata, e.g. "mnist", "fashion-mnist", "folder:shapes".</summary>
    public required string Name { get; init; }

    /// <summary>One line each about what loading skipped (e.g. links leaving a folder dataset); printed by the commands.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
