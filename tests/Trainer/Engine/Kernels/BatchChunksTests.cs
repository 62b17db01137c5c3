// BatchChunks: chunks cover the batch exactly once, in order, with sizes that depend only on batch and layer shape.
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Tests.Trainer.Engine.Kernels;

public class BatchChunksTests
{
    [TestCase(1, 100)]
    [TestCase(2, 25088)]
    [TestCase(13, 3136)]
    [TestCase(128, 25088)]
    [TestCase(128, 3136)]
    [TestCase(1000, 25088)]
    [TestCase(7, 10_000_000)]
    public void ChunksCoverTheBatchOnceAndStayNearTheCacheTarget(int batch, int floatsPerImage)
    {
        var chunks = BatchChunks.Plan(batch, floatsPerImage);
        int next = 0;
        for (int c = 0; c < chunks.Count; c++)
        {
            Assert.That(chunks.FirstImage(c), Is.EqualTo(next));
            Assert.That(chunks.ImagesIn(c), Is.InRange(1, chunks.ImagesPerChunk));
            next += chunks.ImagesIn(c);
        }
        Assert.That(next, Is.EqualTo(batch));
        int wanted = Math.Min(batch, 8);
        Assert.That(chunks.ImagesPerChunk, Is.LessThanOrEqualTo((batch + wanted - 1) / wanted), "enough chunks to share between threads");
        Assert.That(chunks.ImagesPerChunk == 1 || (long)chunks.ImagesPerChunk * floatsPerImage <= 256 * 1024, Is.True,
            $"{chunks.ImagesPerChunk} images of {floatsPerImage} floats exceed the per-chunk target");
    }

    [Test]
    public void ConvVaeShapesGetEvenChunks()
    {
        Assert.That(BatchChunks.Plan(128, 512 * 49), Is.EqualTo(new BatchChunks(16, 8, 128)));
        Assert.That(BatchChunks.Plan(128, 16 * 196), Is.EqualTo(new BatchChunks(8, 16, 128)));
    }
}
