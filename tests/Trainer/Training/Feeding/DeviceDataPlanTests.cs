// How DeviceDataPlan decides where a GPU run keeps the training set, at device sizes chosen around the set's size:
// resident when it takes at most half the device and is not binarized per batch, streamed otherwise, and the two
// choices that cannot work refused with a message naming the option and what to use instead. Chunks are whole
// batches within a given cap; by default also within an eighth of the device and of the epoch (so that filling
// overlaps training); always at least one batch. The CPU backend always reads host memory.
using VaeOnnx.Tests.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Training;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Tests.Trainer.Training.Feeding;

public sealed class DeviceDataPlanTests
{
    // 103 images of 2 x 5 x 3 floats: 120 bytes each, 12,360 bytes in all; batches of 8 take 960 bytes.
    private static readonly ImageDataset Data = StreamedBatchFeedTests.OddImages();
    private const long SetBytes = 103 * 120;

    [Test]
    public void AutoKeepsASetThatFitsInHalfTheDeviceResident()
    {
        DeviceDataPlan plan = DeviceDataPlan.ForDevice(DeviceData.Auto, Data, 8, dynamicBinarization: false, deviceMemory: 2 * SetBytes);
        Assert.That((plan.Kind, plan.DeviceBytes), Is.EqualTo((FeedKind.Resident, SetBytes)));
        Assert.That(plan.Describe(), Does.StartWith("on the device, uploaded once"));
    }

    [Test]
    public void AutoStreamsASetThatWouldTakeMoreThanHalfOfWhatTheNetworkLeaves()
    {
        Assert.That(DeviceDataPlan.ForDevice(DeviceData.Auto, Data, 8, false, deviceMemory: 4 * SetBytes, networkDeviceBytes: 2 * SetBytes).Kind,
            Is.EqualTo(FeedKind.Resident));
        Assert.That(DeviceDataPlan.ForDevice(DeviceData.Auto, Data, 8, false, deviceMemory: 4 * SetBytes, networkDeviceBytes: 2 * SetBytes + 2).Kind,
            Is.EqualTo(FeedKind.Streamed));
    }

    [Test]
    public void AutoStreamsALargerSetOrAPerBatchBinarization()
    {
        DeviceDataPlan large = DeviceDataPlan.ForDevice(DeviceData.Auto, Data, 8, false, deviceMemory: 2 * SetBytes - 1);
        Assert.That((large.Kind, large.ChunkBatches, large.DeviceBytes), Is.EqualTo((FeedKind.Streamed, 2, 2L * 2 * 960)));
        Assert.That(large.Describe(), Is.EqualTo("streamed to the device in chunks of 2 batches (2 x 2 KiB, double-buffered)"));
        DeviceDataPlan binarized = DeviceDataPlan.ForDevice(DeviceData.Auto, Data, 8, true, deviceMemory: 1L << 40);
        Assert.That((binarized.Kind, binarized.BinarizedOnHost), Is.EqualTo((FeedKind.Streamed, true)));
        Assert.That(binarized.Describe(), Does.Contain("double-buffered").And.Contain("binarized on the host"));
    }

    [TestCase(1L, 1)]          // less than one batch: still one batch per chunk
    [TestCase(960L * 5 + 959, 5)]
    [TestCase(1L << 30, 129)]  // more than the epoch: the whole epoch in one chunk
    public void AGivenChunkSizeIsWholeBatchesWithinIt(long chunkBytes, int expectedBatches)
    {
        ImageDataset large = StreamedBatchFeedTests.OddImages(1030);
        DeviceDataPlan plan = DeviceDataPlan.ForDevice(DeviceData.Stream, large, 8, false, deviceMemory: 1L << 40, chunkBytes);
        Assert.That(plan.ChunkBatches, Is.EqualTo(expectedBatches));
        Assert.That(plan.DeviceBytes, Is.EqualTo(2L * expectedBatches * 960));
    }

    [Test]
    public void TheDefaultChunkIsAtMostAnEighthOfTheEpoch()
    {
        // 129 batches of 8 on a large device: an eighth, rounded up, so the fill overlaps training on 7 chunks of 8.
        DeviceDataPlan plan = DeviceDataPlan.ForDevice(DeviceData.Stream, StreamedBatchFeedTests.OddImages(1030), 8, false, deviceMemory: 1L << 40);
        Assert.That(plan.ChunkBatches, Is.EqualTo(17));
    }

    [Test]
    public void TheDefaultChunkIsAnEighthOfASmallDevice()
    {
        DeviceDataPlan plan = DeviceDataPlan.ForDevice(DeviceData.Stream, StreamedBatchFeedTests.OddImages(1030), 8, false, deviceMemory: 8 * 960 * 4);
        Assert.That(plan.ChunkBatches, Is.EqualTo(4));
    }

    [Test]
    public void ResidentThatCannotWorkIsRefusedWithWhatToUse()
    {
        var tooLarge = Assert.Throws<TrainingConfigException>(() =>
            DeviceDataPlan.ForDevice(DeviceData.Resident, Data, 8, false, deviceMemory: SetBytes));
        Assert.That(tooLarge!.Message, Does.StartWith("--device-data resident").And.Contain("--device-data stream"));
        var binarized = Assert.Throws<TrainingConfigException>(() =>
            DeviceDataPlan.ForDevice(DeviceData.Resident, Data, 8, true, deviceMemory: 1L << 40));
        Assert.That(binarized!.Message, Does.Contain("--binarize dynamic").And.Contain("--device-data stream"));
    }

    [Test]
    public void TheCpuBackendReadsHostMemoryWhateverTheChoice()
    {
        foreach (DeviceData choice in Enum.GetValues<DeviceData>())
        {
            Assert.That(DeviceDataPlan.Choose(choice, Data, 8, true, CpuBackend.Instance), Is.SameAs(DeviceDataPlan.Host));
        }
        Assert.That(DeviceDataPlan.Choose(DeviceData.Auto, Data, 8, false, TestGpu.Backend).Kind, Is.EqualTo(FeedKind.Resident));
    }
}
