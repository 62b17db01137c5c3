// Which exceptions are the user's to fix (print one line, exit 1) rather than bugs (print everything, exit 70): the
// runtime's one classification (Runtime.Core.Errors.UserErrors, which also words the line) plus the trainer's own
// types. Each of them carries a message that names the file or option and says what to do.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Cli;

public static class TrainerErrors
{
    /// <summary>The runtime's shared classification plus the trainer's own user errors.</summary>
    public static bool IsUserError(Exception e) => UserErrors.IsUserError(e) ||
        e is DatasetException or TrainingConfigException or CheckpointException or DeviceException or OnnxValidationException;
}
