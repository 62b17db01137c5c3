// Base of every CLI command: a name, a System.CommandLine Command with its options, and an action run inside one
// error boundary. User errors (bad input files, bad values, models that break the contract, a missing provider or
// library) print one "error: ..." line on stderr and return 1, with no stack trace; anything else is a bug and
// prints the whole exception with exit code 70. Commands write their results only after everything succeeded.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Runtime.Core;

using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public abstract partial class CliCommand
{
    public const int Success = 0;
    public const int UserError = UserErrors.UserErrorExitCode;
    public const int InternalError = UserErrors.BugExitCode;

    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>Builds the command, its options and its action.</summary>
    public Command Create()
    {
        var command = new Command(Name, Description);
        AddOptions(command);
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                return Execute(parseResult, output);
            }
            catch (Exception e) when (IsUserError(e))
            {
                error.WriteLine($"error: {OneLine(Describe(e))}");
                return UserError;
            }
            catch (Exception e)
            {
                error.WriteLine($"internal error (please report): {e}");
                return InternalError;
            }
        });
        return command;
    }

    protected abstract void AddOptions(Command command);

    /// <summary>Does the work; returns the exit code. Throw for errors: the boundary turns them into one line.</summary>
    protected abstract int Execute(ParseResult parseResult, TextWriter output);

    /// <summary>Collapses a message to one line (UserErrors.OneLine).</summary>
    public static string OneLine(string message) => UserErrors.OneLine(message);

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException f when f.FileName != null && !f.Message.Contains(f.FileName, StringComparison.Ordinal) => $"{f.Message} ({f.FileName})",
        _ => e.Message,
    };

    // The shared classification (a model that outputs NaN is its ModelOutputException; a CliUsageException is a usage error).
    private static bool IsUserError(Exception e) => UserErrors.IsUserError(e);
}
