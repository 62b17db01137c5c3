// The memory one decode may take, enforced where ImageSharp takes it: an allocator that counts every buffer its
// decoders and processors ask for (frames, scan lines, bit readers, resize kernels) and refuses the one that would pass
// the budget. ContainerScan already hands the decoder a single frame; this bounds what no header check can see, such
// as a GIF frame descriptor or a WebP chunk size that claims far more than the canvas. Buffers are plain managed
// arrays (SimpleGcMemoryAllocator): nothing is pooled or kept after the decode, so memory returns to the GC and the
// count is an upper bound on the decode's peak. One instance serves one decode on one thread of control.
using System.Buffers;
using System.Runtime.CompilerServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;

namespace VaeOnnx.Runtime.Core.Imaging;

internal sealed class DecodeBudget(long bytes) : MemoryAllocator
{
    private static readonly SimpleGcMemoryAllocator Arrays = new();
    private long _spent;

    /// <summary>Bytes this decode may allocate in all.</summary>
    public long Bytes { get; } = bytes;

    /// <summary>Bytes allocated so far.</summary>
    public long Spent => Interlocked.Read(ref _spent);

    /// <summary>A configuration whose every allocation is counted against this budget.</summary>
    public Configuration Configuration() => new() { MemoryAllocator = this };

    protected override int GetBufferCapacityInBytes() => int.MaxValue;

    public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
    {
        long size = (long)Math.Max(0, length) * Unsafe.SizeOf<T>();
        if (Interlocked.Add(ref _spent, size) > Bytes)
        {
            throw new DecodeBudgetException(Bytes, size);
        }
        return Arrays.Allocate<T>(length, options);
    }
}

/// <summary>A decode asked for more memory than its budget; ImageAdmission words it for the file.</summary>
internal sealed class DecodeBudgetException(long budget, long requested)
    : Exception($"A buffer of {requested} bytes would pass the decode budget of {budget} bytes.")
{
    public long Budget { get; } = budget;
}
