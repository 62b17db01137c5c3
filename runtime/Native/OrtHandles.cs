// SafeHandles for the ONNX Runtime objects VaeOnnx owns beyond one call: environment, session options, session, memory
// info, values and CUDA provider options. Each releases its object through the matching OrtApi Release* entry, once,
// even when a thread is still inside a call that took a reference (SafeHandle's reference count).
// Objects that live only inside one call (type infos, statuses, per-call tensors) are released where they are made.
using System.Runtime.InteropServices;

namespace VaeOnnx.Runtime.Native;

internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Takes ownership of a pointer the C API just returned.</summary>
    public void Attach(nint value) => SetHandle(value);
}

internal sealed unsafe class OrtEnvHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseEnv(handle);
        return true;
    }
}

internal sealed unsafe class OrtSessionOptionsHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseSessionOptions(handle);
        return true;
    }
}

internal sealed unsafe class OrtSessionHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseSession(handle);
        return true;
    }
}

internal sealed unsafe class OrtMemoryInfoHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseMemoryInfo(handle);
        return true;
    }
}

internal sealed unsafe class OrtValueHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseValue(handle);
        return true;
    }
}

internal sealed unsafe class OrtCudaProviderOptionsHandle : OrtHandle
{
    protected override bool ReleaseHandle()
    {
        OnnxRuntimeLibrary.Api->ReleaseCUDAProviderOptions(handle);
        return true;
    }
}
