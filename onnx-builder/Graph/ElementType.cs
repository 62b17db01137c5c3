// The element types a graph value or tensor can have, numbered exactly like ONNX's TensorProto.DataType so a cast
// to int is the wire value. Deliberately no conversions between element types: this is naming, not arithmetic.
using VaeOnnx.OnnxBuilder.Proto;

namespace VaeOnnx.OnnxBuilder;

public enum ElementType
{
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

public static class ElementTypeExtensions
{
    /// <summary>Bytes per element in raw_data, or 0 for types without a fixed width (String).</summary>
    public static int ByteSize(this ElementType type) => type switch
    {
        ElementType.Float or ElementType.Int32 or ElementType.UInt32 => 4,
        ElementType.UInt8 or ElementType.Int8 or ElementType.Bool => 1,
        ElementType.UInt16 or ElementType.Int16 or ElementType.Float16 or ElementType.BFloat16 => 2,
        ElementType.Int64 or ElementType.UInt64 or ElementType.Double or ElementType.Complex64 => 8,
        ElementType.Complex128 => 16,
        _ => 0,
    };

    /// <summary>True for the values ONNX defines (1 to 16).</summary>
    public static bool IsDefined(this ElementType type) => Enum.IsDefined(type);

    internal static TensorProto.Types.DataType ToProto(this ElementType type) => (TensorProto.Types.DataType)(int)type;
}
