// The noise eps of each training step: rows (images x samples per image) of latent-sized standard normal draws from
// the run's noise generator, in step order, so that every backend and every feed sees the same noise.
//   HostNoiseFeed    draws each step's eps when the step asks (the CPU backend, or a GPU run whose epoch of noise
//                    would not fit MaxEpochBytes); a GPU then uploads it with the step's first kernel that reads it
//   DeviceNoiseFeed  draws the whole epoch's eps at its start, batch after batch, exactly as the steps would have, into
//                    pinned memory, uploads it once without waiting (Engine/Backends/Transfers/EpochUpload), and hands
//                    each step its rows by a device-to-device copy: no host sync per step. The generator's state after
//                    every batch is kept, so Stop can rewind it to where a mid-epoch checkpoint must resume.
// Samples per image is 1 for the VAE's ELBO; an objective that draws K samples per image asks for K (rows = N K).
// Protocol per epoch: StartEpoch(loader, first batch), Next for each batch in order, Stop before a mid-epoch checkpoint.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Transfers;

namespace VaeOnnx.Trainer.Training.Feeding;

public abstract class NoiseFeed : IDisposable
{
    /// <summary>The most bytes of noise uploaded per epoch; beyond it a GPU run draws per step (and syncs per step).</summary>
    public const long MaxEpochBytes = 256L << 20;

    private protected NoiseFeed(RandomSource noise, int latentSize, int samplesPerImage)
    {
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerImage);
        Noise = noise;
        LatentSize = latentSize;
        SamplesPerImage = samplesPerImage;
    }

    /// <summary>The generator every eps is drawn from (its state is the run's noise state).</summary>
    public RandomSource Noise { get; }

    public int LatentSize { get; }

    /// <summary>Rows of eps per image (1 for one posterior sample per image).</summary>
    public int SamplesPerImage { get; }

    /// <summary>The feed for <paramref name="backend"/>: the epoch uploaded at once on a GPU (when it fits), per step otherwise.</summary>
    public static NoiseFeed Create(ComputeBackend backend, RandomSource noise, int latentSize, int samplesPerImage, ImageDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        long epochBytes = (long)train.Count * samplesPerImage * latentSize * sizeof(float);
        return backend is GpuBackend gpu && epochBytes <= MaxEpochBytes
            ? new DeviceNoiseFeed(gpu, noise, latentSize, samplesPerImage)
            : new HostNoiseFeed(noise, latentSize, samplesPerImage);
    }

    /// <summary>Called after the loader has drawn the epoch's order; steps then come from <paramref name="firstBatch"/> on.</summary>
    public virtual void StartEpoch(BatchLoader loader, int firstBatch)
    {
    }

    /// <summary>The eps of batch <paramref name="batchIndex"/>, (images x samples per image, latent), valid until the next call.</summary>
    public abstract Tensor Next(int batchIndex, int images);

    /// <summary>Ends the epoch after <paramref name="batchesDone"/> batches: the generator is left as those batches' draws left it.</summary>
    public virtual void Stop(int batchesDone)
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

/// <summary>Draws each step's eps when the step asks for it (see NoiseFeed).</summary>
public sealed class HostNoiseFeed(RandomSource noise, int latentSize, int samplesPerImage) : NoiseFeed(noise, latentSize, samplesPerImage)
{
    private readonly Tensor _epsilon = new(0, 0);

    public override Tensor Next(int batchIndex, int images)
    {
        _epsilon.Resize(images * SamplesPerImage, LatentSize);
        Noise.FillGaussian(_epsilon.Span);
        return _epsilon;
    }
}

/// <summary>Draws and uploads a whole epoch's eps at its start (see NoiseFeed).</summary>
public sealed class DeviceNoiseFeed : NoiseFeed
{
    private readonly EpochUpload<float> _upload;
    private readonly Tensor _epsilon = new(0, 0);
    private int[] _offsets = [];
    private ulong[]?[] _stateAfter = [];
    private int _firstBatch;

    public DeviceNoiseFeed(GpuBackend backend, RandomSource noise, int latentSize, int samplesPerImage)
        : base(noise, latentSize, samplesPerImage) =>
        _upload = new EpochUpload<float>(backend);

    public override void StartEpoch(BatchLoader loader, int firstBatch)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstBatch, loader.BatchCount);
        int rowFloats = SamplesPerImage * LatentSize;
        _firstBatch = firstBatch;
        _offsets = new int[loader.BatchCount + 1];
        for (int b = firstBatch; b < loader.BatchCount; b++)
        {
            _offsets[b + 1] = checked(_offsets[b] + loader.ImagesIn(b) * rowFloats);
        }
        _stateAfter = new ulong[]?[loader.BatchCount + 1];
        _stateAfter[firstBatch] = Noise.GetState();
        Span<float> staging = _upload.Staging(_offsets[loader.BatchCount]);
        for (int b = firstBatch; b < loader.BatchCount; b++)
        {
            // Batch by batch, as Next on the host would draw them: the generator ends where the host feed's would.
            Noise.FillGaussian(staging[_offsets[b].._offsets[b + 1]]);
            _stateAfter[b + 1] = Noise.GetState();
        }
        _upload.Upload(_offsets[loader.BatchCount]);
    }

    public override Tensor Next(int batchIndex, int images)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchIndex, _firstBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batchIndex, _offsets.Length - 1);
        _epsilon.Resize(images * SamplesPerImage, LatentSize);
        if (_epsilon.Length != _offsets[batchIndex + 1] - _offsets[batchIndex])
        {
            throw new ArgumentException($"Batch {batchIndex} has {(_offsets[batchIndex + 1] - _offsets[batchIndex]) / (SamplesPerImage * LatentSize)} images, not {images}.", nameof(images));
        }
        _upload.CopyOut(_offsets[batchIndex], _epsilon);
        return _epsilon;
    }

    public override void Stop(int batchesDone)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesDone, _firstBatch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batchesDone, _stateAfter.Length);
        Noise.SetState(_stateAfter[batchesDone] ?? throw new InvalidOperationException($"No noise was drawn up to batch {batchesDone}."));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _upload.Dispose();
        }
    }
}
