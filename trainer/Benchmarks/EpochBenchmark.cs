// `bench epoch`: the wall time of training epochs (batch 128, Adam, KL weight 1, like the PyTorch reference
// ../shared/bench/torch_vae_ref.py) on any backend. Batches and noise reach the backend through the training loop's
// feeds (on a GPU the set is resident or streamed, per the DeviceDataPlan, and each epoch's noise is uploaded at its
// start), the losses stay on the device until the epoch ends,
// and the clock stops only after the device has finished. The first epoch includes compiling the GPU kernels, so with
// several epochs the mean of the later ones is reported too. It measures; it does not evaluate or save anything.
using System.Diagnostics;
using System.Globalization;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Trainer.Benchmarks;

public static class EpochBenchmark
{
    /// <summary>Trains <paramref name="epochs"/> epochs over <paramref name="images"/>, printing one line per epoch.</summary>
    /// <param name="device">Where it runs, for the header line; the math runs on <paramref name="backend"/>.</param>
    /// <param name="plan">How the images reach the backend (DeviceDataPlan.Choose).</param>
    /// <returns>The seconds of each epoch.</returns>
    public static IReadOnlyList<double> Run(TextWriter output, VaeArchitecture architecture, ImageDataset images, int batchSize, int epochs, ulong seed,
        ComputeBackend backend, string device, DeviceDataPlan plan)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int count = images.Count;

        VaeNetwork network = VaeNetwork.Create(architecture, backend);
        network.ResetParameters(SeedStreams.Initialization(seed));
        var adam = new Adam(network.Parameters, new AdamOptions()) { Backend = backend };
        RandomSource noise = SeedStreams.Noise(seed);
        var loader = new BatchLoader(images, batchSize, SeedStreams.Shuffle(seed), binarize: null);
        using BatchFeed feed = BatchFeed.Create(plan, loader, backend);
        using NoiseFeed noiseFeed = NoiseFeed.Create(backend, noise, architecture.LatentSize, samplesPerImage: 1, images);
        var batch = new Tensor(1);
        var sums = new LossValues(2);
        var seconds = new List<double>();
        output.WriteLine($"bench epoch: {architecture.Describe()}, {count} images, batch {batchSize}, {epochs} epoch(s) on {device}" +
            (backend.IsDevice ? $"; training set {plan.Describe()}" : ""));

        adam.Prepare();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            loader.StartEpoch();
            feed.StartEpoch(0);
            noiseFeed.StartEpoch(loader, 0);
            sums.Span.Clear();
            backend.Prefetch(sums);
            for (int b = 0; b < loader.BatchCount; b++)
            {
                int inBatch = feed.Next(b, batch);
                network.TrainStep(batch, noiseFeed.Next(b, inBatch), 1f, sums);
                adam.Step();
            }
            backend.Synchronize();
            double elapsed = clock.Elapsed.TotalSeconds;
            double loss = (sums.Span[0] + sums.Span[1]) / count;
            seconds.Add(elapsed);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch} wall time {elapsed:F2} s, {count / elapsed:F0} images/s, mean loss {loss:F2} nats/image"));
        }
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        if (epochs > 1)
        {
            double later = seconds.Skip(1).Average();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epochs after the first: mean {later:F2} s, {count / later:F0} images/s; peak working set {peak / (1024.0 * 1024.0):F0} MiB"));
        }
        else
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {peak / (1024.0 * 1024.0):F0} MiB"));
        }
        return seconds;
    }

    /// <summary>Random images, uniform in [0, 1], for timing only (the losses mean nothing), as the reference's --synthetic.</summary>
    public static ImageDataset SyntheticImages(int count, int channels, int size, ulong seed)
    {
        var pixels = new float[checked(count * channels * size * size)];
        new RandomSource(seed).FillUniform(pixels, 0f, 1f);
        return new ImageDataset("synthetic", channels, size, size, pixels, new int[count], ["0"]);
    }
}
