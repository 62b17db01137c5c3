// The one wording of where and why JSON text failed to parse, for messages that name a user's file (the runtime's
// --z and --config files, calibration.json): "line L, column C: <reason>", with System.Text.Json's zero-based
// "LineNumber: 0 | BytePositionInLine: 5." tail replaced by one-based numbers, the value's JSON path kept ("at
// $.epochs"), a .NET type the value could not become put in words (OptionErrors.Expected: "could not be converted to
// System.Int32" is not for users) and the reason capped (UserText). It does not say which file; callers put the file
// name in front.
using System.Text.Json;
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Core.Text;

/// <summary>The one wording of where and why JSON text failed to parse: "line L, column C: reason", one-based.</summary>
public static partial class JsonErrors
{
    /// <summary>"line L, column C at $.path: reason" (column counts bytes in the line; the path when the value has one),
    /// or the capped reason when there is no position.</summary>
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
        reason = NotConverted().Replace(reason, m => m.Groups["type"].Value.StartsWith("System.", StringComparison.Ordinal)
            ? $"is not {OptionErrors.Expected(m.Groups["type"].Value)}"
            : "is not of the kind expected there");
        reason = OptionErrors.InWords(reason);
        reason = UserText.Echo(reason.Trim().TrimEnd('.'));
        string where = e.Path is { Length: > 1 } path ? $" at {UserText.Echo(path)}" : "";
        return e.LineNumber is long line
            ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}{where}: {reason}"
            : $"{reason}{where}";
    }

    [GeneratedRegex(@"could not be converted to (?<type>[A-Za-z0-9_`+\[\]]+(\.[A-Za-z0-9_`+\[\]]+)*)")]
    private static partial Regex NotConverted();
}
