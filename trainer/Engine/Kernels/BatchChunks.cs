// How a convolution layer cuts its batch into chunks of whole images, one chunk per parallel task: big enough that
// one GEMM per chunk amortises packing the weights, small enough that the chunk's im2col matrix stays in cache, and
// enough chunks that a few threads share them evenly.
// The plan depends only on the batch and the layer's shape, never on the thread count: per-chunk partial weight
// gradients are summed in chunk order, so this is what makes the layers' results independent of the thread count.
namespace VaeOnnx.Trainer.Engine.Kernels;

public readonly record struct BatchChunks(int Count, int ImagesPerChunk, int Batch)
{
    /// <summary>About 1 MiB of im2col columns per chunk: it fits the L2 or the shared L3 of any recent server core.</summary>
    private const long TargetFloatsPerChunk = 256 * 1024;

    /// <summary>At least this many chunks (batch permitting), a multiple of 4, so 1, 2 or 4 threads share them evenly.</summary>
    private const int MinimumChunks = 8;

    /// <summary>Plans chunks for <paramref name="batch"/> images whose im2col matrix takes <paramref name="floatsPerImage"/> floats each.</summary>
    public static BatchChunks Plan(int batch, long floatsPerImage)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(floatsPerImage);
        int maxPerChunk = (int)Math.Clamp(TargetFloatsPerChunk / floatsPerImage, 1, batch);
        int count = Math.Max((batch + maxPerChunk - 1) / maxPerChunk, Math.Min(batch, MinimumChunks));
        count = Math.Min(batch, (count + 3) / 4 * 4);
        int perChunk = (batch + count - 1) / count;
        return new BatchChunks((batch + perChunk - 1) / perChunk, perChunk, batch);
    }

    public int FirstImage(int chunk) => chunk * ImagesPerChunk;

    public int ImagesIn(int chunk) => Math.Min(ImagesPerChunk, Batch - chunk * ImagesPerChunk);
}
