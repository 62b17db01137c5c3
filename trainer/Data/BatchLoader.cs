// Cuts a dataset into mini-batches, in an order drawn from a seeded generator, so that a run is reproducible and
// resumable: the permutation of an epoch depends only on the shuffle generator's state when the epoch starts.
// The last batch of an epoch may be smaller (nothing is dropped). Dynamic binarization happens here, per batch.
// It does not own the generators: the trainer saves their states in checkpoints at epoch boundaries.
using VaeOnnx.Trainer.Engine;

namespace VaeOnnx.Trainer.Data;

public sealed class BatchLoader
{
    private readonly ImageDataset _data;
    private readonly int[] _order;
    private readonly RandomSource? _shuffle;
    private readonly RandomSource? _binarize;

    /// <param name="shuffle">Generator for the order of each epoch; null keeps the dataset's order (evaluation).</param>
    /// <param name="binarize">Generator for dynamic binarization; null leaves the pixels as they are.</param>
    public BatchLoader(ImageDataset data, int batchSize, RandomSource? shuffle, RandomSource? binarize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (data.Count == 0)
        {
            throw new DatasetException($"{data.Name} holds no images; nothing to train or evaluate on.");
        }
        _data = data;
        BatchSize = batchSize;
        _shuffle = shuffle;
        _binarize = binarize;
        _order = new int[data.Count];
        ResetOrder();
    }

    public int BatchSize { get; }

    public int BatchCount => (_data.Count + BatchSize - 1) / BatchSize;

    public ImageDataset Data => _data;

    /// <summary>The generator dynamic binarization draws from, or null when the pixels are used as they are.</summary>
    public RandomSource? BinarizationSource => _binarize;

    /// <summary>The image indices of the current epoch, in visiting order.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>Draws the visiting order of a new epoch (identity, then a Fisher-Yates shuffle when shuffling).</summary>
    public void StartEpoch()
    {
        ResetOrder();
        _shuffle?.Shuffle(_order);
    }

    /// <summary>The number of images in batch <paramref name="batchIndex"/> (BatchSize, or fewer for the last batch).</summary>
    public int ImagesIn(int batchIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batchIndex, BatchCount);
        return Math.Min(BatchSize, _data.Count - batchIndex * BatchSize);
    }

    /// <summary>Fills <paramref name="images"/> with batch <paramref name="batchIndex"/> of the current epoch as (B, C, H, W); returns B.</summary>
    public int FillBatch(int batchIndex, Tensor images)
    {
        int count = ImagesIn(batchIndex);
        images.Resize(count, _data.Channels, _data.Height, _data.Width);
        return FillBatch(batchIndex, images.Span);
    }

    /// <summary>
    /// Writes batch <paramref name="batchIndex"/> of the current epoch into the first B x ImageSize values of
    /// <paramref name="destination"/> (B images, planar); returns B. With dynamic binarization each call draws from the
    /// binarization generator, so batches must be filled in order for a run to be reproducible.
    /// </summary>
    public int FillBatch(int batchIndex, Span<float> destination)
    {
        int count = ImagesIn(batchIndex);
        int start = batchIndex * BatchSize;
        int size = _data.ImageSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, count * size, nameof(destination));
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> source = _data.Image(_order[start + i]);
            Span<float> target = destination.Slice(i * size, size);
            if (_binarize is null)
            {
                source.CopyTo(target);
            }
            else
            {
                Binarizer.Sample(source, target, _binarize);
            }
        }
        return count;
    }

    private void ResetOrder()
    {
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
    }
}
