// Which ONNX IR version goes with which default-domain opset, from ONNX's release table
// (https://onnx.ai/onnx/repo-docs/Versioning.html#released-versions). Deliberately only the mapping: nothing here
// knows which operators changed in which opset.
namespace VaeOnnx.OnnxBuilder;

public static class OpsetVersions
{
    /// <summary>The IR version released together with <paramref name="opset"/> (e.g. 8 for opsets 15 to 18).</summary>
    public static long IrVersionFor(long opset) => opset switch
    {
        >= 1 and <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        >= 12 and <= 14 => 7,
        >= 15 and <= 18 => 8,
        >= 19 and <= 20 => 9,
        >= 21 and <= 22 => 10,
        23 => 11,
        _ => throw new ArgumentOutOfRangeException(nameof(opset), opset,
            $"No known IR version for opset {opset} (known: 1 to 23); set ModelBuilder.IrVersion explicitly."),
    };
}
