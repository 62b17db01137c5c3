// The trainer's exit codes, documented in trainer/README.md.
namespace VaeOnnx.Trainer.Cli;

public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad input: a missing or corrupt file, an unusable option value, a checkpoint from elsewhere.</summary>
    public const int UserError = Runtime.Core.Errors.UserErrors.UserErrorExitCode;

    /// <summary>The command line itself did not parse (unknown option, missing value).</summary>
    public const int UsageError = 2;

    /// <summary>Training diverged (NaN or Inf); the last good checkpoint was kept.</summary>
    public const int Diverged = 3;

    /// <summary>The exported ONNX graphs disagree with the trainer's own forward pass.</summary>
    public const int ExportMismatch = 4;

    /// <summary>check-device: the device's training step differs from the CPU engine's beyond the tolerance.</summary>
    public const int DeviceMismatch = 5;

    /// <summary>Stopped by Ctrl+C or SIGTERM after saving a resumable checkpoint (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>A bug: the full exception is printed.</summary>
    public const int InternalError = Runtime.Core.Errors.UserErrors.BugExitCode;
}
