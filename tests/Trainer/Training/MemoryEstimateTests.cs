// MemoryEstimate against the real network: its parameter count equals the built network's exactly, and what the
// engine really allocates for a network, Adam and one training step plus one evaluation step (every thread's
// allocations, counted by the GC) stays below the estimate without being far below it. MemoryBudget refuses the
// issue's 855,638,084-parameter case with a message that says what fits, and accepts the default run.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Training;

public sealed class MemoryEstimateTests
{
    private static readonly VaeArchitecture[] Architectures =
    [
        VaeArchitecture.Conv(1, 28, 28, 16),
        VaeArchitecture.Conv(3, 29, 30, 2),
        VaeArchitecture.Conv(3, 64, 48, 8, Likelihood.Gaussian),
        VaeArchitecture.Mlp(1, 28, 28, 2, 400),
        VaeArchitecture.Mlp(3, 17, 9, 5, 33, Likelihood.Gaussian),
    ];

    [TestCaseSource(nameof(Architectures))]
    public void ParameterCountIsTheNetworksExactly(VaeArchitecture architecture)
    {
        VaeNetwork network = VaeNetwork.Create(architecture);
        long real = network.Parameters.Sum(p => (long)p.Value.Length);
        Assert.That(MemoryEstimate.For(architecture, 8, 1, 0).ParameterCount, Is.EqualTo(real));
    }

    [Test]
    public void TheIssuesNetworkHasTheParameterCountTheIssueMeasured()
    {
        // Issue 12: --arch mlp --hidden 8 --image-size 4096 on RGB PNGs built an 855,638,084-parameter network.
        var estimate = MemoryEstimate.For(VaeArchitecture.Mlp(3, 4096, 4096, 2, 8), 128, 2, 40);
        Assert.That(estimate.ParameterCount, Is.EqualTo(855_638_084L));
        Assert.That(estimate.Problem(long.MaxValue), Does.Contain("more than a checkpoint or an ONNX graph can hold"));
    }

    [TestCase(0, 32)]
    [TestCase(1, 5)]
    [TestCase(2, 64)]
    [TestCase(3, 16)]
    [TestCase(4, 7)]
    public void OneTrainingStepAllocatesLessThanTheEstimateButNotMuchLess(int architectureIndex, int batch)
    {
        VaeArchitecture architecture = Architectures[architectureIndex];
        int threads = EngineThreads.Count;
        // Evaluation and the pictures run forward passes at the pictures batch; do one at that size too.
        int pictures = MemoryEstimate.PicturesBatch(architecture.LatentSize);
        MemoryEstimate estimate = MemoryEstimate.For(architecture, batch, threads, 0);
        // One-time allocations of the runtime (type loading, the engine's worker threads) are the runtime overhead's,
        // not this network's: run the code paths once on tiny networks first.
        foreach (VaeArchitecture tiny in new[] { VaeArchitecture.Conv(1, 4, 4, 1), VaeArchitecture.Mlp(1, 2, 2, 1, 1) })
        {
            VaeNetwork warmUp = VaeNetwork.Create(tiny);
            var warmUpAdam = new Adam(warmUp.Parameters, new AdamOptions(LearningRate: 1e-3));
            Tensor tinyImages = RandomImages(1, tiny, new RandomSource(1));
            warmUp.TrainStep(tinyImages, new RandomSource(2), 1f);
            warmUpAdam.Step();
            warmUp.Evaluate(tinyImages, new RandomSource(3));
        }

        long before = GC.GetTotalAllocatedBytes(precise: true);
        VaeNetwork network = VaeNetwork.Create(architecture);
        var random = new RandomSource(7);
        network.ResetParameters(random);
        var adam = new Adam(network.Parameters, new AdamOptions(LearningRate: 1e-3));
        var images = RandomImages(batch, architecture, random);
        // Largest first, as in a run's steady state: a buffer that grows is reallocated, and the GC would count both.
        network.Decode(new Tensor(pictures, architecture.LatentSize));
        network.TrainStep(images, random, 1f);
        adam.Step();
        network.Evaluate(images, random);
        long measured = GC.GetTotalAllocatedBytes(precise: true) - before - images.Data.Length * sizeof(float);

        TestContext.Out.WriteLine($"{architecture.Describe()}, batch {batch}: measured {measured:N0} bytes, estimate {estimate.TrainingBytes:N0} ({estimate.Breakdown()})");
        Assert.That(estimate.TrainingBytes, Is.GreaterThanOrEqualTo(measured), "the estimate is an upper bound");
        // Scratch is per thread and may already exist on the engine's threads; the rest must be close.
        long scratch = estimate.ScratchBytes;
        Assert.That(estimate.TrainingBytes - scratch, Is.LessThanOrEqualTo(3 * measured), "the estimate is not a blind over-estimate");
    }

    [Test]
    public void TheBudgetRefusesTheIssuesRunAndSaysWhatFits()
    {
        var config = new TrainingConfig { Architecture = VaeArchitecture.MlpKind, Hidden = 8, BatchSize = 128 };
        var refused = Assert.Throws<TrainingConfigException>(() => MemoryBudget.Check(config, 3, 4096, 4096, 40, 2, 24L << 30))!;
        TestContext.Out.WriteLine(refused.Message);
        Assert.That(refused.Message, Does.Contain("855,638,084 parameters"));
        Assert.That(refused.Message, Does.Contain("--image-size"));
        string size = refused.Message.Split("--image-size ")[1].Split(' ')[0];
        int height = int.Parse(size.Split('x')[0]), width = int.Parse(size.Split('x')[1]);
        Assert.DoesNotThrow(() => MemoryBudget.Check(config, 3, height, width, 40, 2, 24L << 30), "the suggested size fits");
        Assert.Throws<TrainingConfigException>(() => MemoryBudget.Check(config, 3, height + 1, width + 1, 40, 2, 24L << 30), "it is the largest");
    }

    [Test]
    public void TheBudgetSuggestsTheLargestBatchWhenOnlyTheBatchIsTooLarge()
    {
        var config = new TrainingConfig { BatchSize = 4096 };
        long available = MemoryEstimate.For(config.ToArchitecture(1, 28, 28), 1000, 2, 70000).TotalBytes;
        var refused = Assert.Throws<TrainingConfigException>(() => MemoryBudget.Check(config, 1, 28, 28, 70000, 2, available))!;
        TestContext.Out.WriteLine(refused.Message);
        Assert.That(refused.Message, Does.EndWith("It fits with --batch 1000 or less."));
    }

    [Test]
    public void TheDefaultRunFitsInAGigabyte()
    {
        var estimate = MemoryBudget.Check(new TrainingConfig(), 1, 28, 28, 70000, 64, 1L << 30);
        TestContext.Out.WriteLine(estimate.Breakdown());
        Assert.That(estimate.TotalBytes, Is.LessThan(1L << 30));
    }

    private static Tensor RandomImages(int batch, VaeArchitecture a, RandomSource random)
    {
        var images = new Tensor(batch, a.Channels, a.Height, a.Width);
        random.FillUniform(images.Span, 0f, 1f);
        return images;
    }
}
