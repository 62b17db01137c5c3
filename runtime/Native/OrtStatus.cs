// The one error path of the native layer: every OrtStatus* returned by the C API goes through Check, which turns a
// non-null status into an OnnxRuntimeException (native code and message) and always releases the status.
// It deliberately adds no context: callers that know what they were doing catch and wrap with their own words.
using System.Runtime.InteropServices;

namespace VaeOnnx.Runtime.Native;

internal static unsafe class OrtStatus
{
    public static void Check(nint status)
    {
        if (status == 0)
        {
            return;
        }
        var api = OnnxRuntimeLibrary.Api;
        try
        {
            var code = api->GetErrorCode(status);
            var message = Marshal.PtrToStringUTF8((nint)api->GetErrorMessage(status)) ?? "(no message)";
            throw new OnnxRuntimeException(code, message);
        }
        finally
        {
            api->ReleaseStatus(status);
        }
    }
}
