// ONNX Runtime's error codes (OrtErrorCode in onnxruntime_c_api.h), carried by OnnxRuntimeException.
// Values are the C enum's; it deliberately adds none of its own.
namespace VaeOnnx.Runtime;

public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    ExecutionProviderFail = 11,
}
