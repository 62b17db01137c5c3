// The kernel launches and host syncs of one training step on a GPU backend, recorded through its LaunchLog: a network
// trained on random images through the training loop's own feeds (the set resident on the device, the noise uploaded
// per epoch), three steps, the
// middle one kept (the first allocates and compiles, the last is where a loop reads its losses). With dryRun the
// kernels are recorded but not executed, which gives the launch sequence at any batch size in moments: it depends
// only on shapes. Used by the launch-count tests and by the step-time model (StepTimeModel).
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Trainer.Benchmarks;

public static class StepLaunches
{
    /// <summary>The multiprocessors of an H100, which the launch counts and the step-time model plan the GEMMs for.</summary>
    public const int H100Multiprocessors = 132;

    /// <summary>
    /// One step's launches and syncs for <paramref name="architecture"/> at <paramref name="batch"/> images, the GEMMs
    /// planned for <paramref name="multiprocessors"/> (the backend's own device when null).
    /// </summary>
    public static (IReadOnlyList<KernelLaunch> Launches, IReadOnlyList<string> Syncs) Record(VaeArchitecture architecture, int batch, GpuBackend backend,
        bool dryRun, int? multiprocessors = H100Multiprocessors)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(backend);
        const int Steps = 3;
        const ulong Seed = 1;
        var pixels = new float[Steps * batch * architecture.ImageSize];
        new RandomSource(Seed).FillUniform(pixels, 0f, 1f);
        var images = new ImageDataset("synthetic", architecture.Channels, architecture.Height, architecture.Width, pixels, new int[Steps * batch], ["0"]);
        VaeNetwork network = VaeNetwork.Create(architecture, backend);
        network.ResetParameters(SeedStreams.Initialization(Seed));
        var adam = new Adam(network.Parameters, new AdamOptions()) { Backend = backend };
        RandomSource noise = SeedStreams.Noise(Seed);
        var loader = new BatchLoader(images, batch, SeedStreams.Shuffle(Seed), binarize: null);
        using BatchFeed feed = BatchFeed.Create(new DeviceDataPlan(FeedKind.Resident, 0, images.Pixels.Length * sizeof(float), false), loader, backend);
        using NoiseFeed noiseFeed = NoiseFeed.Create(backend, noise, architecture.LatentSize, samplesPerImage: 1, images);
        var input = new Tensor(1);
        var sums = new LossValues(2);
        adam.Prepare();
        backend.Prefetch(sums);
        LaunchLog log = backend.Launches;
        int planned = backend.GemmKernels.Multiprocessors;
        if (multiprocessors is int sms)
        {
            backend.PlanForMultiprocessors = sms;
        }
        log.Start(dryRun);
        try
        {
            loader.StartEpoch();
            feed.StartEpoch(0);
            noiseFeed.StartEpoch(loader, 0);
            for (int b = 0; b < loader.BatchCount; b++)
            {
                log.MarkStep();
                int count = feed.Next(b, input);
                network.TrainStep(input, noiseFeed.Next(b, count), 1f, sums);
                adam.Step();
            }
            backend.Synchronize();
            return log.Step(1);
        }
        finally
        {
            log.Stop();
            backend.GemmKernels.Multiprocessors = planned;
        }
    }
}
