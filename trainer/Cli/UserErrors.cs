// Which exceptions are the user's to fix (print one line, exit 1) rather than bugs (print everything, exit 70).
// Each of these types carries a message that names the file or option and says what to do.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.Runtime;
using VaeOnnx.Runtime.Imaging;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Cli;

public static class UserErrors
{
    public static bool IsUserError(Exception e) => e is DatasetException or TrainingConfigException or CliUsageException
        or CheckpointException or InvalidModelException or OnnxRuntimeException or DllNotFoundException
        or PngFormatException or ImageMismatchException or OnnxValidationException
        or FormatException or IOException or UnauthorizedAccessException or ArgumentException;

    /// <summary>The message on one line, without the "(Parameter 'x')" tail .NET appends.</summary>
    public static string OneLine(Exception e)
    {
        string message = e.Message.ReplaceLineEndings(" ");
        int parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (parameter >= 0)
        {
            message = message[..parameter];
        }
        int actual = message.IndexOf(" Actual value was", StringComparison.Ordinal);
        return Capped((actual >= 0 ? message[..actual] : message).Trim());
    }

    /// <summary>Characters of an error line kept, whatever input it quotes (values themselves are cut by UserText).</summary>
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
}

/// <summary>An option combination that parsed but cannot work (e.g. --resume with --lr).</summary>
public sealed class CliUsageException(string message) : Exception(message);
