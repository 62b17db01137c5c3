// Loads the splits a DatasetRequest describes and applies, in this order: label filter, limits, static binarization
// of the training split, and the fixed binarization of the test split. Dynamic binarization is the BatchLoader's job.
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Data;

public static class DatasetLoader
{
    /// <summary>Training images generated for "shapes" (and a tenth of that for testing).</summary>
    public const int ShapesCount = 6000;

    public static DatasetSplits Load(DatasetRequest request, DatasetDownloader? downloader)
    {
        request.Validate();
        DatasetSplits splits = LoadRaw(request, downloader);
        if (request.Labels is not null)
        {
            splits = LabelFilter.Parse(request.Labels).Apply(splits);
        }
        if (request.TrainLimit is int trainLimit)
        {
            splits = splits with { Train = splits.Train.Take(trainLimit) };
        }
        if (request.TestLimit is int testLimit)
        {
            splits = splits with { Test = splits.Test.Take(testLimit) };
        }
        if (splits.Train.Count == 0 || splits.Test.Count == 0)
        {
            throw new DatasetException(
                $"{splits.Name} leaves {splits.Train.Count} training and {splits.Test.Count} test images after the label filter and limits; both splits need at least one.");
        }
        if (request.Binarize == Binarization.Static)
        {
            splits = splits with { Train = Binarizer.SampleOnce(splits.Train, Binarizer.FixedSeed) };
        }
        if (request.Binarize != Binarization.None)
        {
            splits = splits with { Test = Binarizer.SampleOnce(splits.Test, Binarizer.FixedSeed + 1) };
        }
        return splits;
    }

    private static DatasetSplits LoadRaw(DatasetRequest request, DatasetDownloader? downloader)
    {
        string dataset = request.Dataset;
        if (dataset.StartsWith(DatasetRequest.FolderPrefix, StringComparison.Ordinal))
        {
            string folder = dataset[DatasetRequest.FolderPrefix.Length..];
            return FolderDataset.Load(folder, request.Channels, request.Height, request.Width);
        }
        switch (dataset)
        {
            case "mnist":
                return IdxDatasetSource.Mnist.Load(request.ResolveDataFolder(), downloader);
            case "fashion-mnist":
                return IdxDatasetSource.FashionMnist.Load(request.ResolveDataFolder(), downloader);
            case "shapes":
                int channels = request.Channels ?? 1, height = request.Height ?? 28, width = request.Width ?? 28;
                return new DatasetSplits(
                    SyntheticShapes.Generate(ShapesCount, channels, height, width, seed: 1, "shapes/train"),
                    SyntheticShapes.Generate(ShapesCount / 10, channels, height, width, seed: 2, "shapes/test")) { Name = "shapes" };
            default:
                throw new DatasetException($"Unknown dataset \"{UserText.Echo(dataset)}\"; use mnist, fashion-mnist, shapes or folder:PATH (a folder of images).");
        }
    }
}
