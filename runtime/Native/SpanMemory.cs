// A Memory<float> over memory the caller has already pinned (a fixed span), so span-based methods can use the
// Memory-based InferenceSession.Run without copying. Valid only inside the caller's fixed block; Pin does nothing.
using System.Buffers;

namespace VaeOnnx.Runtime.Native;

internal sealed unsafe class SpanMemory(float* pointer, int length) : MemoryManager<float>
{
    public override Span<float> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
