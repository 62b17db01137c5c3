// The one classification of failures shared by the host CLI, the HTTP service and the trainer CLI: a user error is
// something the user fixes (a bad file, model, option or path; its message says what and how), reported as one line
// and exit code 1 (or a 4xx); anything else is a bug, reported with its stack trace and exit code 70 (or a 500 and a
// log entry). A command-line value that cannot work is a CliUsageException, shared by both CLIs; the trainer adds its
// own user-error types (DatasetException, CheckpointException, ...) on top of these (trainer/Cli/TrainerErrors.cs).
using System.Text.Json;
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.Inference;
using VaeOnnx.Runtime.Core.Scoring;

namespace VaeOnnx.Runtime.Core.Errors;

/// <summary>Which failures are the user's to fix (one line, exit code 1 or a 4xx) and which are bugs; the one-line form of their messages.</summary>
public static partial class UserErrors
{
    /// <summary>Exit code of a user error.</summary>
    public const int UserErrorExitCode = 1;

    /// <summary>Exit code of a bug (EX_SOFTWARE).</summary>
    public const int BugExitCode = 70;

    /// <summary>Whether <paramref name="e"/> is one of the runtime's user errors (model, image, inference, calibration, IO, argument, usage).</summary>
    public static bool IsUserError(Exception e) => IsModelFault(e) || e is DllNotFoundException or CliUsageException
        or InvalidImageException or ImageMismatchException or CalibrationException or IOException or UnauthorizedAccessException
        or ArgumentException or FormatException or JsonException;

    /// <summary>
    /// Whether <paramref name="e"/> is the model's fault rather than the request's: a model that breaks the contract,
    /// that ONNX Runtime cannot run, or that outputs NaN or infinity from in-bound input. A user error for a CLI (the
    /// user chose the model); for the service a server-side failure that no client can fix (a 500 that says so).
    /// </summary>
    public static bool IsModelFault(Exception e) => e is InvalidModelException or InferenceException or ModelOutputException;

    /// <summary>The message on one line, without the "(Parameter 'x')" and "Actual value was" tails .NET adds.</summary>
    public static string OneLine(string message)
    {
        var lines = message.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("Actual value was", StringComparison.Ordinal));
        var text = ParameterSuffix().Replace(string.Join(" ", lines), "");
        int actual = text.IndexOf(" Actual value was", StringComparison.Ordinal);
        return Capped((actual >= 0 ? text[..actual] : text).Trim());
    }

    /// <summary>Characters of an error line kept, whatever input it quotes (values themselves are cut where they are quoted).</summary>
    public const int MaxLine = 1500;

    /// <summary>The line with control characters shown as '?' and cut to <see cref="MaxLine"/> characters: the last guard against echoed input.</summary>
    public static string Capped(string line)
    {
        string shown = string.Create(line.Length, line, (span, text) =>
        {
            for (int i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
        return shown.Length <= MaxLine ? shown : $"{shown[..MaxLine]}... (message cut at {MaxLine} characters)";
    }

    [GeneratedRegex(@" \(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();
}
