// How the training set reaches the backend, decided once before a run starts (so a choice that cannot work is refused
// before a run folder exists): Host (the CPU backend reads host memory), Resident (uploaded once, batches gathered on
// the device) or Streamed (chunks of whole batches, in the epoch's visiting order, filled on the host and uploaded
// double-buffered; see StreamedBatchFeed). All three hand the network the same batches, value for value.
// Auto chooses Resident when the images take at most half of the device memory the network leaves and are not
// binarized per batch (dynamic binarization draws on the host, from the run's binarization stream). It does not move data (BatchFeed does).
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Devices;

namespace VaeOnnx.Trainer.Training.Feeding;

public enum FeedKind
{
    Host,
    Resident,
    Streamed,
}

public sealed record DeviceDataPlan(FeedKind Kind, int ChunkBatches, long DeviceBytes, bool BinarizedOnHost)
{
    /// <summary>The largest chunk streamed by default: large enough to keep the copy engine busy, small enough for any GPU.</summary>
    public const long DefaultChunkBytes = 256L << 20;

    /// <summary>The fewest chunks an epoch is streamed in by default (fewer only when it has fewer batches).</summary>
    public const int ChunksPerEpoch = 8;

    /// <summary>The plan of the CPU backend: batches are filled from host memory.</summary>
    public static DeviceDataPlan Host { get; } = new(FeedKind.Host, 0, 0, false);

    /// <summary>
    /// The plan for training <paramref name="train"/> in batches of <paramref name="batchSize"/> on
    /// <paramref name="backend"/>; <paramref name="chunkBytes"/> caps a streamed chunk (default: the smaller of
    /// DefaultChunkBytes and an eighth of the device's memory, and at most an eighth of the epoch); at least one batch.
    /// </summary>
    /// <param name="networkDeviceBytes">What the run needs on the device besides the data (MemoryBudget.DeviceBytesWithoutData):
    /// auto keeps the set resident only when it takes at most half of what is left.</param>
    /// <exception cref="TrainingConfigException">The choice cannot work for this data on this device.</exception>
    public static DeviceDataPlan Choose(DeviceData choice, ImageDataset train, int batchSize, bool dynamicBinarization, ComputeBackend backend,
        long? chunkBytes = null, long networkDeviceBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return backend is GpuBackend gpu
            ? ForDevice(choice, train, batchSize, dynamicBinarization, gpu.Accelerator.MemorySize, chunkBytes, networkDeviceBytes)
            : Host;
    }

    /// <summary>The plan on a device with <paramref name="deviceMemory"/> bytes (Choose, with the memory given).</summary>
    internal static DeviceDataPlan ForDevice(DeviceData choice, ImageDataset train, int batchSize, bool dynamicBinarization, long deviceMemory,
        long? chunkBytes = null, long networkDeviceBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(deviceMemory);
        long imageBytes = (long)train.ImageSize * sizeof(float);
        long setBytes = train.Count * imageBytes;
        bool fits = setBytes <= deviceMemory / 2;
        bool fitsBesideNetwork = setBytes <= (deviceMemory - networkDeviceBytes) / 2;
        switch (choice)
        {
            case DeviceData.Resident when dynamicBinarization:
                throw new TrainingConfigException(
                    "--device-data resident cannot be used with --binarize dynamic: the binarization is drawn on the host for every batch. Use --device-data stream or auto.");
            case DeviceData.Resident when !fits:
                throw new TrainingConfigException(
                    $"--device-data resident: the training set takes {ComputeDevice.FormatMemory(setBytes)}, more than half of the device's {ComputeDevice.FormatMemory(deviceMemory)}. Use --device-data stream or auto, which streams it.");
            case DeviceData.Resident:
            case DeviceData.Auto when fitsBesideNetwork && !dynamicBinarization:
                return new DeviceDataPlan(FeedKind.Resident, 0, setBytes, false);
        }

        long cap = chunkBytes ?? Math.Min(DefaultChunkBytes, deviceMemory / 8);
        long batchBytes = batchSize * imageBytes;
        int batchCount = (train.Count + batchSize - 1) / batchSize;
        long byMemory = Math.Max(1, cap / batchBytes);
        long byIndex = Math.Max(1, int.MaxValue / (batchSize * (long)train.ImageSize));
        // By default at least ChunksPerEpoch chunks, so that filling the next chunk overlaps training on one for most of
        // the epoch (only the first chunk of an epoch is filled while the device waits); a size given is taken as it is.
        long byOverlap = chunkBytes is null ? (batchCount + ChunksPerEpoch - 1) / ChunksPerEpoch : batchCount;
        int chunkBatches = (int)Math.Min(Math.Min(byMemory, byIndex), byOverlap);
        return new DeviceDataPlan(FeedKind.Streamed, chunkBatches, 2 * chunkBatches * batchBytes, dynamicBinarization);
    }

    /// <summary>One line for the run header, e.g. "streamed to the device in chunks of 64 batches (2 x 25 MiB, double-buffered)".</summary>
    public string Describe() => Kind switch
    {
        FeedKind.Resident => $"on the device, uploaded once ({ComputeDevice.FormatMemory(DeviceBytes)})",
        FeedKind.Streamed => $"streamed to the device in chunks of {ChunkBatches} batch{(ChunkBatches == 1 ? "" : "es")} (2 x {ComputeDevice.FormatMemory(DeviceBytes / 2)}, double-buffered" +
            (BinarizedOnHost ? "; binarized on the host while the device trains)" : ")"),
        _ => "in host memory",
    };
}
