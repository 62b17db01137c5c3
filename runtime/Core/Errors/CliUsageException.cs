// The one exception type for a command-line value that parsed but cannot work (an output folder that does not exist,
// --resume with --lr, --samples 0): the runtime CLI and the trainer CLI both throw it, and UserErrors classifies it as
// the user's error (one line, exit code 1).
namespace VaeOnnx.Runtime.Core.Errors;

/// <summary>A command-line value or combination that parsed but makes no sense; the message names the option and what to give.</summary>
public sealed class CliUsageException(string message) : Exception(message);
