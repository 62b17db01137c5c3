// The data options end to end: static binarization draws {0, 1} pixels once (the same on every load, independent of
// --seed), both binarize modes fix the test split the same way, and limits and label filters compose.
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Tests.Trainer.Data;

public sealed class DatasetLoaderTests
{
    private static readonly DatasetRequest Colour = new() { Dataset = "shapes", Channels = 3, Height = 12, Width = 12, TrainLimit = 200, TestLimit = 50 };

    [Test]
    public void StaticBinarizationIsDrawnOnceFromAFixedSeed()
    {
        DatasetSplits grey = DatasetLoader.Load(Colour, null);
        DatasetSplits first = DatasetLoader.Load(Colour with { Binarize = Binarization.Static }, null);
        DatasetSplits second = DatasetLoader.Load(Colour with { Binarize = Binarization.Static }, null);

        Assert.That(grey.Train.Pixels.Any(p => p is > 0f and < 1f), "the colour shapes have grey levels to binarize");
        Assert.That(first.Train.Pixels, Is.All.EqualTo(0f).Or.EqualTo(1f));
        Assert.That(first.Test.Pixels, Is.All.EqualTo(0f).Or.EqualTo(1f));
        Assert.That(second.Train.Pixels, Is.EqualTo(first.Train.Pixels));
        // Pixels that were 0 stay 0 and pixels that were 1 stay 1; grey ones go either way.
        for (int i = 0; i < grey.Train.Pixels.Length; i++)
        {
            if (grey.Train.Pixels[i] is 0f or 1f)
            {
                Assert.That(first.Train.Pixels[i], Is.EqualTo(grey.Train.Pixels[i]));
            }
        }
    }

    [Test]
    public void DynamicBinarizationLeavesTrainingGreyButFixesTheTestSplit()
    {
        DatasetSplits dynamic = DatasetLoader.Load(Colour with { Binarize = Binarization.Dynamic }, null);
        DatasetSplits fixedOnce = DatasetLoader.Load(Colour with { Binarize = Binarization.Static }, null);
        Assert.That(dynamic.Train.Pixels.Any(p => p is > 0f and < 1f), "the batch loader binarizes dynamic training images per epoch");
        Assert.That(dynamic.Test.Pixels, Is.EqualTo(fixedOnce.Test.Pixels));
    }

    [Test]
    public void TheDataFolderComesFromTheOptionThenTheEnvironmentThenTheDefault()
    {
        string? saved = Environment.GetEnvironmentVariable(DatasetRequest.DataEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(DatasetRequest.DataEnvironmentVariable, null);
            Assert.That(new DatasetRequest().ResolveDataFolder(), Is.EqualTo(Path.Combine("data", "mnist")));
            Assert.That(new DatasetRequest { Dataset = "fashion-mnist" }.ResolveDataFolder(), Is.EqualTo(Path.Combine("data", "fashion-mnist")));
            Environment.SetEnvironmentVariable(DatasetRequest.DataEnvironmentVariable, "/from/env");
            Assert.That(new DatasetRequest().ResolveDataFolder(), Is.EqualTo("/from/env"));
            Assert.That(new DatasetRequest { DataFolder = "/from/option" }.ResolveDataFolder(), Is.EqualTo("/from/option"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatasetRequest.DataEnvironmentVariable, saved);
        }
    }

    [Test]
    public void LimitsApplyAfterTheLabelFilter()
    {
        DatasetSplits splits = DatasetLoader.Load(Colour with { Labels = "1", TrainLimit = 20, TestLimit = 5 }, null);
        Assert.That((splits.Train.Count, splits.Test.Count), Is.EqualTo((20, 5)));
        Assert.That(splits.Train.Labels.Concat(splits.Test.Labels), Is.All.EqualTo(1));
    }
}
