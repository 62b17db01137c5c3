// MemoryEstimate against the real network: its parameter count equals the built network's exactly, and what the
// engine really allocates for a network, Adam and one training step plus one evaluation step (every thread's
// allocations, counted by the GC) stays below the estimate without being far below it; the same holds on a GPU
// backend (ILGPU's CPU accelerator) for the device buffers ILGPU really allocates. MemoryBudget refuses the issue's
// 855,638,084-parameter case with a message that says what fits, and accepts the default run; on a device too small
// it suggests streaming the training set, a smaller batch, or the CPU.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Trainer.Engine.Backends;
using VaeOnnx.Tests.Trainer.Training.Feeding;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Reports;
using VaeOnnx.Trainer.Training;
using VaeOnnx.Trainer.Training.Feeding;

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

    [TestCase(2)]
    [TestCase(16)]
    public void The_pictures_batch_is_what_RunReports_decodes(int latent)
    {
        VaeArchitecture architecture = VaeArchitecture.Mlp(1, 4, 4, latent, 4);
        Assert.That(MemoryEstimate.PicturesBatch(architecture),
            Is.EqualTo(architecture.HasPlanarLatent ? RunReports.ManifoldSide * RunReports.ManifoldSide : RunReports.SampleCount));
        Assert.That(architecture.HasPlanarLatent, Is.EqualTo(latent == VaeArchitecture.PlanarLatentSize));
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
        int pictures = MemoryEstimate.PicturesBatch(architecture);
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

    // Small networks, and latents other than 2 (whose pictures batch is 400): ILGPU's CPU accelerator is slow.
    private static readonly VaeArchitecture[] DeviceArchitectures =
    [
        VaeArchitecture.Conv(3, 20, 18, 4, Likelihood.Gaussian),
        VaeArchitecture.Mlp(1, 28, 28, 3, 400),
    ];

    [TestCase(0, 4)]
    [TestCase(1, 16)]
    public void OneTrainingStepOnAGpuAllocatesLessDeviceMemoryThanTheEstimateButNotMuchLess(int architectureIndex, int batch)
    {
        VaeArchitecture architecture = DeviceArchitectures[architectureIndex];
        // The shared test backend (its kernels are compiled once); every tensor of the new network gets a new device
        // copy, so the growth of what the backend holds is this network's.
        GpuBackend gpu = TestGpu.Backend;
        long before = gpu.AllocatedBytes;
        MemoryEstimate estimate = MemoryEstimate.For(architecture, batch, 1, 0);
        VaeNetwork network = VaeNetwork.Create(architecture, gpu);
        var random = new RandomSource(8);
        network.ResetParameters(random);
        var adam = new Adam(network.Parameters, new AdamOptions(LearningRate: 1e-3)) { Backend = gpu };
        network.Decode(new Tensor(MemoryEstimate.PicturesBatch(architecture), architecture.LatentSize));
        var images = RandomImages(batch, architecture, random);
        network.TrainStep(images, random, 1f);
        adam.Step();
        network.Evaluate(images, random);
        gpu.Synchronize();
        long measured = gpu.AllocatedBytes - before;
        long estimated = estimate.DeviceBytes(0) - MemoryEstimate.DeviceOverheadBytes;

        TestContext.Out.WriteLine($"{architecture.Describe()}, batch {batch}: device buffers {measured:N0} bytes, estimate {estimated:N0} " +
            $"(parameters {estimate.ParameterBytes:N0}, activations {estimate.ActivationBytes:N0}, convolution columns {estimate.DeviceScratchBytes:N0})");
        Assert.That(estimated, Is.GreaterThanOrEqualTo(measured), "the estimate is an upper bound");
        Assert.That(estimated, Is.LessThanOrEqualTo(3 * measured), "the estimate is not a blind over-estimate");
    }

    [Test]
    public void TheDeviceBudgetSuggestsStreamingThenASmallerBatchThenTheCpu()
    {
        ImageDataset train = StreamedBatchFeedTests.OddImages(20_000); // 2 x 5 x 3 images: 2.3 MiB in all
        var config = new TrainingConfig { Architecture = VaeKind.Mlp, Hidden = 64, LatentSize = 2, BatchSize = 512 };
        MemoryEstimate estimate = MemoryBudget.Estimate(config, 2, 5, 3, 0, 1);
        DeviceDataPlan resident = DeviceDataPlan.ForDevice(DeviceData.Resident, train, 512, false, 1L << 40);
        DeviceDataPlan streamed = DeviceDataPlan.ForDevice(DeviceData.Stream, train, 512, false, 1L << 40);
        Assert.That(resident.DeviceBytes, Is.GreaterThan(streamed.DeviceBytes));

        // Room for the run with the set streamed, not resident.
        long memory = estimate.DeviceBytes(streamed.DeviceBytes);
        Assert.DoesNotThrow(() => MemoryBudget.CheckDevice(config, train, streamed, memory, "cuda:0 Test GPU"));
        var stream = Assert.Throws<TrainingConfigException>(() => MemoryBudget.CheckDevice(config, train, resident, memory, "cuda:0 Test GPU"))!;
        TestContext.Out.WriteLine(stream.Message);
        Assert.That(stream.Message, Does.StartWith("This run cannot fit on cuda:0 Test GPU: mlp").And.EndWith("It fits with the training set streamed: --device-data stream."));

        // Room for batch 100 only: the largest batch that fits is found.
        long smaller = MemoryBudget.Estimate(config with { BatchSize = 100 }, 2, 5, 3, 0, 1)
            .DeviceBytes(DeviceDataPlan.ForDevice(DeviceData.Stream, train, 100, false, 1L << 40).DeviceBytes);
        var batch = Assert.Throws<TrainingConfigException>(() => MemoryBudget.CheckDevice(config, train, streamed, smaller, "cuda:0 Test GPU"))!;
        TestContext.Out.WriteLine(batch.Message);
        Assert.That(batch.Message, Does.Match(@"It fits on the device with --batch \d+ or less and --device-data stream\.$"));
        int suggested = int.Parse(batch.Message.Split("--batch ")[1].Split(' ')[0]);
        // Streamed chunks round to whole batches, so the need is not strictly monotonic in the batch: close to 100, and fits.
        Assert.That(suggested, Is.InRange(80, 100));
        TrainingConfig suggestedConfig = config with { BatchSize = suggested };
        Assert.DoesNotThrow(() => MemoryBudget.CheckDevice(suggestedConfig, train,
            DeviceDataPlan.ForDevice(DeviceData.Stream, train, suggested, false, smaller), smaller, "cuda:0 Test GPU"));

        // Not even the CUDA context fits.
        var cpu = Assert.Throws<TrainingConfigException>(() => MemoryBudget.CheckDevice(config, train, streamed, 1L << 20, "cuda:0 Test GPU"))!;
        Assert.That(cpu.Message, Does.EndWith("No batch makes it fit on this device; train on the CPU (--device cpu)."));

        // The CPU's plan has nothing on a device.
        Assert.DoesNotThrow(() => MemoryBudget.CheckDevice(config, train, DeviceDataPlan.Host, 1, "cpu"));
    }

    [Test]
    public void TheBudgetRefusesTheIssuesRunAndSaysWhatFits()
    {
        var config = new TrainingConfig { Architecture = VaeKind.Mlp, Hidden = 8, BatchSize = 128 };
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
