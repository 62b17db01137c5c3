// The noise feeds against the draws a step makes on its own (RandomSource.FillGaussian of N x L values per step): the
// device feed, which draws a whole epoch at its start and uploads it once, hands every batch the same eps, bit for
// bit, from any first batch, with a short last batch and several samples per image, and leaves the generator where
// the per-step draws leave it; Stop rewinds it to where a checkpoint after that batch must resume. Its upload makes
// no host sync, and a batch's eps comes by a device copy, not a sync.
using VaeOnnx.Tests.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Tests.Trainer.Training.Feeding;

public sealed class NoiseFeedTests
{
    [TestCase(0, 1)]
    [TestCase(5, 1)]
    [TestCase(0, 3)]
    public void TheDeviceFeedHandsEveryBatchTheNoiseAStepWouldDraw(int firstBatch, int samplesPerImage)
    {
        const int latent = 5;
        ImageDataset data = StreamedBatchFeedTests.OddImages(); // 103 images: 12 batches of 8 and one of 7
        var loader = new BatchLoader(data, 8, new RandomSource(5), null);
        var reference = new RandomSource(77);
        using var feed = new DeviceNoiseFeed(TestGpu.Backend, new RandomSource(77), latent, samplesPerImage);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            loader.StartEpoch();
            int first = epoch == 0 ? firstBatch : 0;
            TestGpu.Backend.Launches.Start();
            feed.StartEpoch(loader, first);
            Assert.That(TestGpu.Backend.Launches.Syncs, Is.Empty, "the epoch's upload does not wait");
            for (int b = first; b < loader.BatchCount; b++)
            {
                int images = loader.ImagesIn(b);
                var expected = new float[images * samplesPerImage * latent];
                reference.FillGaussian(expected);
                Tensor eps = feed.Next(b, images);
                Assert.That(TestGpu.Backend.Launches.Syncs, Is.Empty, "a batch's noise comes without a host sync");
                Assert.That(eps.Shape.ToArray(), Is.EqualTo(new[] { images * samplesPerImage, latent }));
                Assert.That(eps.Span.ToArray(), Is.EqualTo(expected), $"epoch {epoch}, batch {b}");
                TestGpu.Backend.Launches.Start();
            }
            TestGpu.Backend.Launches.Stop();
            Assert.That(feed.Noise.GetState(), Is.EqualTo(reference.GetState()), "the generator ends where per-step draws end");
        }
    }

    [Test]
    public void StopRewindsTheGeneratorToTheBatchesHandedOut()
    {
        ImageDataset data = StreamedBatchFeedTests.OddImages();
        var loader = new BatchLoader(data, 8, new RandomSource(5), null);
        loader.StartEpoch();
        var reference = new RandomSource(78);
        using var feed = new DeviceNoiseFeed(TestGpu.Backend, new RandomSource(78), 3, 1);
        feed.StartEpoch(loader, 2);
        for (int b = 2; b < 6; b++)
        {
            feed.Next(b, loader.ImagesIn(b));
            reference.FillGaussian(new float[loader.ImagesIn(b) * 3]);
        }
        feed.Stop(6);
        Assert.That(feed.Noise.GetState(), Is.EqualTo(reference.GetState()));
        feed.Stop(2);
        Assert.That(feed.Noise.GetState(), Is.EqualTo(new RandomSource(78).GetState()));
    }

    [Test]
    public void TheHostFeedDrawsEachStepAsAStepWould()
    {
        var reference = new RandomSource(79);
        using var feed = new HostNoiseFeed(new RandomSource(79), 4, 1);
        for (int b = 0; b < 3; b++)
        {
            var expected = new float[(5 + b) * 4];
            reference.FillGaussian(expected);
            Assert.That(feed.Next(b, 5 + b).Span.ToArray(), Is.EqualTo(expected));
        }
    }
}
