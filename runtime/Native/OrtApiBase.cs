// OrtApiBase, the two-entry table returned by OrtGetApiBase(): the only door into ONNX Runtime's C API.
// It deliberately holds nothing else; OnnxRuntimeLibrary calls it once.
using System.Runtime.InteropServices;

namespace VaeOnnx.Runtime.Native;

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OrtApiBase
{
    // const OrtApi* GetApi(uint32_t version); null when the library does not offer that version
    public delegate* unmanaged[Cdecl]<uint, OrtApi*> GetApi;

    // const char* GetVersionString(void)
    public delegate* unmanaged[Cdecl]<byte*> GetVersionString;
}
