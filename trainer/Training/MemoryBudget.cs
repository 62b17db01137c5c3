// Refuses a training run that cannot fit, before anything big is allocated or any run folder is created, with a
// one-line message that says what would fit: the largest --batch, else the largest --latent (or mlp --hidden), else
// the largest --image-size with the same aspect ratio. The estimate itself is MemoryEstimate's; this file only
// compares it with the bytes available and searches the settings. The bytes available are an input (the process's
// limit by default, which honours cgroup limits). CheckDevice does the same for a GPU run against the device's memory,
// once the data and the DeviceDataPlan are known, and suggests streaming the training set, a smaller batch, or the CPU.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Trainer.Training;

public static class MemoryBudget
{
    /// <summary>What this process may use: physical memory or the container's limit, as the GC sees it.</summary>
    public static long ProcessAvailableBytes()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available : long.MaxValue;
    }

    /// <summary>
    /// The check that can run before the data is loaded: the network at the size the options give (--image-size, else
    /// 28x28 for MNIST-like sets and shapes), with the images those sets load (generated or read in full, before any
    /// limit) or the image files a folder set holds (counted, not read). Folder sets without --image-size are checked
    /// only after loading.
    /// </summary>
    public static void CheckBeforeLoading(TrainingConfig config, int threads, long availableBytes)
    {
        DatasetRequest data = config.Data;
        bool folder = data.Dataset.StartsWith(DatasetRequest.FolderPrefix, StringComparison.Ordinal);
        if (folder && data.Height is null)
        {
            return;
        }
        try
        {
            long images = data.Dataset switch
            {
                "shapes" => DatasetLoader.ShapesCount + DatasetLoader.ShapesCount / 10,
                "mnist" or "fashion-mnist" => 70_000,
                _ when folder => FolderDataset.CountImages(data.Dataset[DatasetRequest.FolderPrefix.Length..]),
                _ => 0,
            };
            Check(config, data.Channels ?? 1, data.Height ?? 28, data.Width ?? 28, images, threads, availableBytes);
        }
        catch (TrainingConfigException e) when (folder && data.Channels is null)
        {
            throw new TrainingConfigException($"{e.Message} (Checked before reading the images, as if they were grey; colour images need more.)");
        }
    }

    /// <summary>Throws a TrainingConfigException saying what would fit when the run does not fit in <paramref name="availableBytes"/>.</summary>
    public static MemoryEstimate Check(TrainingConfig config, int channels, int height, int width, long images, int threads, long availableBytes)
    {
        MemoryEstimate estimate = Estimate(config, channels, height, width, images, threads);
        string? problem = estimate.Problem(availableBytes);
        if (problem is null)
        {
            return estimate;
        }
        string suggestion = Suggest(config, channels, height, width, images, threads, availableBytes);
        throw new TrainingConfigException(
            $"This run cannot fit: {estimate.Architecture.Describe()} at batch {config.BatchSize}: {problem}. {suggestion}");
    }

    /// <summary>
    /// Throws a TrainingConfigException saying what would fit when a GPU run with <paramref name="plan"/> does not fit in
    /// <paramref name="deviceMemory"/> bytes (a Host plan, the CPU's, has nothing on a device and always passes).
    /// </summary>
    /// <param name="device">The device as the run header names it, for the message.</param>
    public static void CheckDevice(TrainingConfig config, ImageDataset train, DeviceDataPlan plan, long deviceMemory, string device)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Kind == FeedKind.Host)
        {
            return;
        }
        MemoryEstimate estimate = DeviceEstimate(config, train);
        string? problem = estimate.DeviceProblem(deviceMemory, plan.DeviceBytes);
        if (problem is null)
        {
            return;
        }
        string suggestion;
        if (plan.Kind == FeedKind.Resident && FitsOnDevice(config, train, plan.BinarizedOnHost, deviceMemory))
        {
            suggestion = "It fits with the training set streamed: --device-data stream.";
        }
        else if (config.BatchSize > 1 && FitsOnDevice(config with { BatchSize = 1 }, train, plan.BinarizedOnHost, deviceMemory))
        {
            int low = 1, high = config.BatchSize - 1; // the device estimate grows with the batch: binary search
            while (low < high)
            {
                int middle = low + (high - low + 1) / 2;
                (low, high) = FitsOnDevice(config with { BatchSize = middle }, train, plan.BinarizedOnHost, deviceMemory) ? (middle, high) : (low, middle - 1);
            }
            suggestion = $"It fits on the device with --batch {low} or less and --device-data stream.";
        }
        else
        {
            suggestion = "No batch makes it fit on this device; train on the CPU (--device cpu).";
        }
        throw new TrainingConfigException(
            $"This run cannot fit on {device}: {estimate.Architecture.Describe()} at batch {config.BatchSize}: {problem}. {suggestion}");
    }

    // Does the run fit on the device with the training set streamed (the least device memory the data can take)?
    private static bool FitsOnDevice(TrainingConfig config, ImageDataset train, bool dynamicBinarization, long deviceMemory)
    {
        DeviceDataPlan streamed = DeviceDataPlan.ForDevice(DeviceData.Stream, train, config.BatchSize, dynamicBinarization, deviceMemory);
        return DeviceEstimate(config, train).DeviceProblem(deviceMemory, streamed.DeviceBytes) is null;
    }

    /// <summary>What a GPU run of <paramref name="config"/> on <paramref name="train"/>'s images needs on the device besides the training set.</summary>
    public static long DeviceBytesWithoutData(TrainingConfig config, ImageDataset train) => DeviceEstimate(config, train).DeviceBytes(0);

    // The estimate of what lives on the device: no host images, one "thread" (the device's scratch is counted apart).
    private static MemoryEstimate DeviceEstimate(TrainingConfig config, ImageDataset train) =>
        Estimate(config, train.Channels, train.Height, train.Width, images: 0, threads: 1);

    public static MemoryEstimate Estimate(TrainingConfig config, int channels, int height, int width, long images, int threads) =>
        MemoryEstimate.For(config.ToArchitecture(channels, height, width), config.BatchSize, threads, images);

    private static bool Fits(TrainingConfig config, int channels, int height, int width, long images, int threads, long available) =>
        Estimate(config, channels, height, width, images, threads).Problem(available) is null;

    private static string Suggest(TrainingConfig config, int channels, int height, int width, long images, int threads, long available)
    {
        if (config.BatchSize > 1 && Fits(config with { BatchSize = 1 }, channels, height, width, images, threads, available))
        {
            int low = 1, high = config.BatchSize - 1; // the estimate grows with the batch: binary search
            while (low < high)
            {
                int middle = low + (high - low + 1) / 2;
                (low, high) = Fits(config with { BatchSize = middle }, channels, height, width, images, threads, available) ? (middle, high) : (low, middle - 1);
            }
            return $"It fits with --batch {low} or less.";
        }
        // Conv stages change with the size, so the searches below scan down instead of bisecting.
        for (int latent = config.EffectiveLatentSize - 1; latent >= 1; latent--)
        {
            if (Fits(config with { LatentSize = latent }, channels, height, width, images, threads, available))
            {
                return $"It fits with --latent {latent} or less.";
            }
        }
        if (config.Architecture == VaeKind.Mlp)
        {
            for (int hidden = config.Hidden - 1; hidden >= 1; hidden--)
            {
                if (Fits(config with { Hidden = hidden }, channels, height, width, images, threads, available))
                {
                    return $"It fits with --hidden {hidden} or less.";
                }
            }
        }
        foreach (TrainingConfig candidate in new[] { config, config with { BatchSize = 1 } })
        {
            for (int h = height - 1; h >= 2; h--)
            {
                int w = Math.Max(2, (int)Math.Round((double)width * h / height));
                if (Fits(candidate, channels, h, w, images, threads, available))
                {
                    string batch = candidate.BatchSize == config.BatchSize ? "" : $" with --batch {candidate.BatchSize}";
                    return $"Images of {h}x{w} (HxW) fit{batch}: add --image-size {h}x{w} (folder: and shapes datasets).";
                }
            }
        }
        return "No smaller batch, latent or image size makes it fit on this machine.";
    }
}
