// The one exception ONNX Runtime's failures become at our boundary: ORT's OnnxRuntimeException (or a missing native
// library) is translated here once, with the "[ErrorCode:...]" prefix and the C++ source locations ORT appends
// (onnxruntime/core/...cc:123 Foo::Bar) taken out, so a user reads what was wrong with which file. The original
// exception stays as InnerException for logs.
using System.Text.RegularExpressions;

namespace VaeOnnx.Runtime.Core.Inference;

public sealed partial class InferenceException : Exception
{
    public InferenceException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>ORT's message without its error-code prefix and C++ source locations, on one line.</summary>
    public static string Clean(string message)
    {
        var text = ErrorCodePrefix().Replace(message, "");
        text = SourceLocation().Replace(text, "");
        text = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.Trim().TrimEnd('.');
    }

    [GeneratedRegex(@"\[ErrorCode:[A-Za-z]+\]\s*")]
    private static partial Regex ErrorCodePrefix();

    // "/onnxruntime_src/onnxruntime/core/session/inference_session.cc:123 onnxruntime::Foo(...) " and the like.
    [GeneratedRegex(@"\S*onnxruntime\S*\.(cc|h|cpp):\d+\s+(\S+\(.*?\)\s*(const\s*)?)?")]
    private static partial Regex SourceLocation();
}
