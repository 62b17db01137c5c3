// Which exceptions are the user's to fix (print one line, exit 1) rather than bugs (print everything, exit 70):
// the runtime's one classification plus the trainer's own types.
// Each of these types carries a message that names the file or option and says what to do.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Cli;

public static class UserErrors
{
    /// <summary>The runtime's shared classification (Runtime.Core.Errors.UserErrors) plus the trainer's own user errors.</summary>
    public static bool IsUserError(Exception e) => Runtime.Core.Errors.UserErrors.IsUserError(e) ||
        e is DatasetException or TrainingConfigException or CliUsageException or CheckpointException or DeviceException or OnnxValidationException;

    /// <summary>The message on one line, without the "(Parameter 'x')" tail .NET appends.</summary>
    public static string OneLine(Exception e) => Runtime.Core.Errors.UserErrors.OneLine(e.Message);

    /// <summary>See Runtime.Core.Errors.UserErrors.Capped: the one cap on every error line.</summary>
    public static string Capped(string line) => Runtime.Core.Errors.UserErrors.Capped(line);

    public const int MaxLine = Runtime.Core.Errors.UserErrors.MaxLine;
}

/// <summary>An option combination that parsed but cannot work (e.g. --resume with --lr).</summary>
public sealed class CliUsageException(string message) : Exception(message);
