// The trainer's command line: train (also what runs when no command is given), evaluate, export, anomaly-demo, bench,
// devices and check-device.
// Parse errors become one "error: ..." line on stderr with exit code 2 (no help dump); --help describes everything.
// Signals are handled by the train command itself (StopSignal), not by System.CommandLine, so a Ctrl+C ends
// training at a step boundary with a checkpoint instead of killing the process after a timeout.
using System.CommandLine;
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Trainer.Data;

using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Cli;

public static class TrainerCli
{
    public static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand(
            "VaeOnnx trainer: trains a variational autoencoder on the CPU or an NVIDIA GPU (--device) and exports it as encoder.onnx + decoder.onnx. " +
            "With no command it trains (the options below are train's).");
        TrainCommand.Configure(root, context);
        root.Add(TrainCommand.Create(context));
        root.Add(EvaluateCommand.Create(context));
        root.Add(ExportCommand.Create(context));
        root.Add(AnomalyDemoCommand.Create(context));
        root.Add(BenchCommand.Create(context));
        root.Add(DevicesCommand.Create(context));
        root.Add(CheckDeviceCommand.Create(context));
        return root;
    }

    public static int Run(string[] args, CliContext context)
    {
        ParseResult result = BuildRoot(context).Parse(args);
        if (result.Errors.Count > 0 && !args.Any(a => a is "--help" or "-h" or "-?"))
        {
            Command command = result.CommandResult.Command;
            string hint = command is RootCommand ? "--help" : $"{command.Name} --help";
            string message = string.Join(' ', result.Errors[0].Message.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
            // System.CommandLine quotes the offending token whole; cut each quoted token as every other echo is cut.
            message = Regex.Replace(message, "'([^']*)'", m => $"'{UserText.Echo(m.Groups[1].Value)}'");
            context.Error.WriteLine($"error: {UserErrors.Capped(message)} (see '{hint}')");
            return ExitCodes.UsageError;
        }
        return result.Invoke(new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        });
    }
}
