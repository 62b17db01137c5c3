// The one exception ONNX Runtime's failures become at our boundary: ORT's OnnxRuntimeException (or a missing native
// library) is translated here once, with the "[ErrorCode:...]" prefix and the C++ source locations ORT appends
// (onnxruntime/core/...cc:123 Foo::Bar) taken out, so a user reads what was wrong with which file. The original
// exception stays as InnerException for logs.
using System.Text.RegularExpressions;

namespace VaeOnnx.Runtime.Core.Inference;

/// <summary>ONNX Runtime failed to load or run a graph (or its native library is missing); the message is ORT's, cleaned of error codes and C++ source locations, with the file named. The original is the InnerException.</summary>
public sealed partial class InferenceException : Exception
{
    /// <summary>An inference failure described by <paramref name="message"/>.</summary>
    /// <param name="message">What failed, already cleaned (see <see cref="Clean"/>).</param>
    /// <param name="inner">ONNX Runtime's own exception, kept for logs; null when there is none.</param>
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
