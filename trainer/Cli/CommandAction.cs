// The one error boundary every trainer command runs in: user errors (TrainerErrors.IsUserError) print a single
// "error: ..." line on stderr and exit 1; an export that fails its parity check exits 4; anything else is a bug
// and prints the whole exception with exit code 70.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Trainer.Export;

namespace VaeOnnx.Trainer.Cli;

public static class CommandAction
{
    public static void Set(Command command, CliContext context, Func<ParseResult, int> action)
    {
        command.SetAction(result =>
        {
            try
            {
                return action(result);
            }
            catch (ExportMismatchException e)
            {
                context.Error.WriteLine($"error: {UserErrors.OneLine(e.Message)}");
                return ExitCodes.ExportMismatch;
            }
            catch (Exception e) when (TrainerErrors.IsUserError(e))
            {
                context.Error.WriteLine($"error: {UserErrors.OneLine(e.Message)}");
                return ExitCodes.UserError;
            }
            catch (Exception e)
            {
                context.Error.WriteLine($"internal error (please report): {e}");
                return ExitCodes.InternalError;
            }
        });
    }
}
