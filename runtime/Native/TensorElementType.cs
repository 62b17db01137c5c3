// Element types of ONNX tensors (ONNXTensorElementDataType in onnxruntime_c_api.h, TensorProto.DataType in onnx.proto).
// Values are the C enum's. The runtime only computes with Float; the other names exist so graph descriptions can say
// what they found instead of a bare number.
namespace VaeOnnx.Runtime;

public enum TensorElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}
