// The one exception type for errors reported by ONNX Runtime itself (an OrtStatus that is not OK), with the native
// error code and message. Argument mistakes caught on the managed side are ArgumentExceptions instead.
namespace VaeOnnx.Runtime;

public sealed class OnnxRuntimeException : Exception
{
    public OnnxRuntimeException(OrtErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The native OrtErrorCode; Fail when the error did not come from a native status.</summary>
    public OrtErrorCode ErrorCode { get; }
}
