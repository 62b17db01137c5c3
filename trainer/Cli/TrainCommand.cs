// `train` (and the root command, which trains when no command is given): parses the options, prepares a new run or
// the resumption of one (Runs/TrainingRun: data, memory and folder checks), trains with live or plain progress, and
// on completion exports encoder.onnx + decoder.onnx (checked against the network through ONNX Runtime) and draws the
// run's pictures. --resume continues a run from its checkpoint; Ctrl+C stops after the current step with a resumable
// checkpoint.
using System.CommandLine;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Cli;

public static class TrainCommand
{
    public const string Description = "Train a VAE (default: the convolutional VAE on MNIST, 10 epochs) and export encoder.onnx + decoder.onnx";

    public static Command Create(CliContext context)
    {
        var command = new Command("train", Description);
        Configure(command, context);
        return command;
    }

    /// <summary>Adds the train options and action to <paramref name="command"/> (the train command or the root).</summary>
    public static void Configure(Command command, CliContext context)
    {
        var options = new TrainOptions();
        options.AddTo(command);
        CommandAction.Set(command, context, result => Execute(result, options, context));
    }

    private static int Execute(ParseResult result, TrainOptions options, CliContext context)
    {
        ThreadOption.ApplyToEngine(result.GetValue(options.Threads));
        // Opened before anything is read or written: a device that is not there ends here, with no run folder.
        using ComputeDevice device = DeviceOption.Open(result, options.Device);
        string? resume = result.GetValue(options.Resume);
        if (resume is not null)
        {
            options.RefuseChangesOnResume(result, resume);
        }
        var environment = new RunEnvironment(device)
        {
            DeviceData = DeviceDataOption.Parse(result, options.DeviceData),
            Downloader = context.Downloader,
        };
        TrainingRun run = resume is null
            ? TrainingRun.Prepare(options.ToConfig(result), result.GetValue(options.Out), environment)
            : TrainingRun.Resume(resume, TrainOptions.IsGiven(result, options.Epochs) ? result.GetValue(options.Epochs) : null,
                TrainOptions.IsGiven(result, options.Data) ? result.GetValue(options.Data) : null, environment);
        using StopSignal stop = context.StopSignalFactory();
        var view = new CliRunView(context);
        return CliRunView.ExitCode(run.Train(stop, view));
    }
}
