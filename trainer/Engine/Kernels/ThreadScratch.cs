// Per-thread scratch arrays for the layers' parallel tasks (im2col columns, channel-major copies), so that a task
// borrows memory without allocating: each thread keeps a few numbered slots that grow to the largest size asked for.
// A slot is valid until the same thread asks for that slot again; nothing is shared between threads.
namespace VaeOnnx.Trainer.Engine.Kernels;

public static class ThreadScratch
{
    public const int Slots = 4;

    [ThreadStatic]
    private static float[]?[]? t_slots;

    /// <summary>A span of <paramref name="length"/> floats from this thread's slot <paramref name="slot"/>; contents unspecified.</summary>
    public static Span<float> Get(int slot, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if ((uint)slot >= Slots)
        {
            throw new ArgumentOutOfRangeException(nameof(slot), $"Scratch slot must be in [0, {Slots}); got {slot}.");
        }
        float[]?[] slots = t_slots ??= new float[]?[Slots];
        float[]? buffer = slots[slot];
        if (buffer is null || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<float>(length);
            slots[slot] = buffer;
        }
        return buffer.AsSpan(0, length);
    }
}
