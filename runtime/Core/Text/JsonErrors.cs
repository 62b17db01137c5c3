// The one wording of where and why JSON text failed to parse, for messages that name a user's file (the runtime's
// --z and --config files, calibration.json): "line L, column C: <reason>", with System.Text.Json's zero-based
// "LineNumber: 0 | BytePositionInLine: 5." tail replaced by one-based numbers and the reason capped (UserText).
// It does not say which file; callers put the file name in front.
using System.Text.Json;

namespace VaeOnnx.Runtime.Core.Text;

/// <summary>The one wording of where and why JSON text failed to parse: "line L, column C: reason", one-based.</summary>
public static class JsonErrors
{
    /// <summary>"line L, column C: reason" (column counts bytes in the line), or the capped reason when there is no position.</summary>
    public static string Describe(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string reason = e.Message;
        foreach (string tail in new[] { " LineNumber:", " Path:" })
        {
            int at = reason.IndexOf(tail, StringComparison.Ordinal);
            if (at >= 0)
            {
                reason = reason[..at];
            }
        }
        reason = UserText.Echo(reason.Trim().TrimEnd('.'));
        return e.LineNumber is long line
            ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {reason}"
            : reason;
    }
}
