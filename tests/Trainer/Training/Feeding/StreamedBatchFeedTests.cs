// The streamed feed on ILGPU's CPU accelerator against the reference it must reproduce: a BatchLoader with the same
// generators filling every batch on the host (BatchLoader.FillBatch). Odd image and set sizes, chunks of one batch,
// several batches (with a short last chunk and a short last batch) and the whole epoch, with and without dynamic
// binarization, over several epochs and from a mid-epoch start; Stop rewinds the binarization generator to the state
// after the batches handed out. The resident feed is held to the same reference.
using VaeOnnx.Tests.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Tests.Trainer.Training.Feeding;

public sealed class StreamedBatchFeedTests
{
    private const int BatchSize = 8;

    internal static ImageDataset OddImages(int count = 103)
    {
        var pixels = new float[count * 2 * 5 * 3];
        new RandomSource(404).FillUniform(pixels, 0f, 1f);
        return new ImageDataset("odd", 2, 5, 3, pixels, new int[count], ["0"]);
    }

    private static (BatchLoader Feed, BatchLoader Reference) Loaders(ImageDataset data, bool binarize) =>
        (new BatchLoader(data, BatchSize, new RandomSource(5), binarize ? new RandomSource(6) : null),
         new BatchLoader(data, BatchSize, new RandomSource(5), binarize ? new RandomSource(6) : null));

    [TestCase(1, false)]
    [TestCase(3, false)]
    [TestCase(5, true)]
    [TestCase(13, true)]
    [TestCase(100, true)]
    public void EveryBatchEqualsTheHostFilledBatch(int chunkBatches, bool binarize)
    {
        ImageDataset data = OddImages();
        (BatchLoader streamed, BatchLoader reference) = Loaders(data, binarize);
        using var feed = new StreamedBatchFeed(streamed, TestGpu.Backend, chunkBatches);
        Assert.That(streamed.BatchCount, Is.EqualTo(13));
        var batch = new Tensor(1);
        var expected = new Tensor(1);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            streamed.StartEpoch();
            reference.StartEpoch();
            feed.StartEpoch(0);
            for (int b = 0; b < streamed.BatchCount; b++)
            {
                int count = feed.Next(b, batch);
                Assert.That(count, Is.EqualTo(reference.FillBatch(b, expected)));
                Assert.That(batch.Shape.ToArray(), Is.EqualTo(expected.Shape.ToArray()));
                Assert.That(batch.Span.ToArray(), Is.EqualTo(expected.Span.ToArray()), $"epoch {epoch}, batch {b}");
            }
        }
        if (binarize)
        {
            Assert.That(streamed.BinarizationSource!.GetState(), Is.EqualTo(reference.BinarizationSource!.GetState()));
        }
        TestContext.Out.WriteLine($"{chunkBatches} batch(es) per chunk: 3 epochs x 13 batches identical to the host-filled batches");
    }

    [Test]
    public void AMidEpochStartAndAStopMidChunkKeepTheGeneratorsInStep()
    {
        ImageDataset data = OddImages();
        (BatchLoader streamed, BatchLoader reference) = Loaders(data, binarize: true);
        using var feed = new StreamedBatchFeed(streamed, TestGpu.Backend, chunkBatches: 4);
        var batch = new Tensor(1);
        var expected = new Tensor(1);

        // Resuming at batch 6 of an epoch (the generators as a checkpoint would restore them), stopping after batch 8:
        // the chunk [6, 10) has been filled ahead, so Stop must rewind the binarization generator.
        streamed.StartEpoch();
        reference.StartEpoch();
        feed.StartEpoch(6);
        for (int b = 6; b < 9; b++)
        {
            feed.Next(b, batch);
            reference.FillBatch(b, expected);
            Assert.That(batch.Span.ToArray(), Is.EqualTo(expected.Span.ToArray()), $"batch {b}");
        }
        feed.Stop(9);
        Assert.That(streamed.BinarizationSource!.GetState(), Is.EqualTo(reference.BinarizationSource!.GetState()));
    }

    [Test]
    public void BatchesOutOfOrderAreRefused()
    {
        (BatchLoader streamed, _) = Loaders(OddImages(), binarize: false);
        using var feed = new StreamedBatchFeed(streamed, TestGpu.Backend, chunkBatches: 2);
        streamed.StartEpoch();
        feed.StartEpoch(0);
        var batch = new Tensor(1);
        feed.Next(0, batch);
        Assert.Throws<InvalidOperationException>(() => feed.Next(5, batch));
    }

    [Test]
    public void TheResidentFeedGivesTheHostFilledBatchesToo()
    {
        ImageDataset data = OddImages();
        (BatchLoader resident, BatchLoader reference) = Loaders(data, binarize: false);
        using var feed = new ResidentBatchFeed(resident, TestGpu.Backend);
        var batch = new Tensor(1);
        var expected = new Tensor(1);
        resident.StartEpoch();
        reference.StartEpoch();
        feed.StartEpoch(0);
        for (int b = 0; b < resident.BatchCount; b++)
        {
            feed.Next(b, batch);
            reference.FillBatch(b, expected);
            Assert.That(batch.Span.ToArray(), Is.EqualTo(expected.Span.ToArray()), $"batch {b}");
        }
        Assert.Throws<ArgumentException>(() => new ResidentBatchFeed(Loaders(data, binarize: true).Feed, TestGpu.Backend));
    }
}
