// The trainer's command line: train (also what runs when no command is given), evaluate, export, anomaly-demo, bench,
// devices and check-device.
// Parse errors become one "error: ..." line on stderr with exit code 2 (worded by OptionErrors, no help dump); --help
// describes everything.
// Signals are handled by the train command itself (StopSignal), not by System.CommandLine, so a Ctrl+C ends
// training at a step boundary with a checkpoint instead of killing the process after a timeout.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Trainer.Data;

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
            context.Error.WriteLine($"error: {OptionErrors.Describe(result.Errors[0].Message)} (see '{hint}')");
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
