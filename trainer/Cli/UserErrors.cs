// Which exceptions are the user's to fix (print one line, exit 1) rather than bugs (print everything, exit 70).
// Each of these types carries a message that names the file or option and says what to do.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.Runtime;
using VaeOnnx.Runtime.Imaging;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Cli;

public static class UserErrors
{
    public static bool IsUserError(Exception e) => e is DatasetException or TrainingConfigException or CliUsageException
        or CheckpointException or DeviceException or InvalidModelException or OnnxRuntimeException or DllNotFoundException
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
        return (actual >= 0 ? message[..actual] : message).Trim();
    }
}

/// <summary>An option combination that parsed but cannot work (e.g. --resume with --lr).</summary>
public sealed class CliUsageException(string message) : Exception(message);
