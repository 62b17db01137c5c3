// `train` (and the root command, which trains when no command is given): loads the data, trains with live or plain
// progress, and on completion exports encoder.onnx + decoder.onnx (checked against the network through ONNX Runtime)
// and draws the run's pictures. --resume continues a run from its checkpoint; Ctrl+C stops after the current step
// with a resumable checkpoint.
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Reports;
using VaeOnnx.Trainer.Training;
using VaeOnnx.Trainer.Training.Feeding;

using VaeOnnx.Runtime.Core.Text;

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
        TextWriter output = context.Output;
        if (result.GetValue(options.Threads) is int threads)
        {
            EngineThreads.Count = threads is >= 1 and <= EngineThreads.MaxCount
                ? threads
                : throw new CliUsageException($"--threads {threads} is not usable; give 1 to {EngineThreads.MaxCount} threads (default: all {Environment.ProcessorCount} cores).");
        }
        // Opened before anything is read or written: a device that is not there ends here, with no run folder.
        using ComputeDevice device = DeviceOption.Open(result, options.Device);

        TrainingCheckpoint? checkpoint = null;
        TrainingConfig config;
        string runFolder;
        string? resume = result.GetValue(options.Resume);
        if (resume is not null)
        {
            string[] notAllowed = options.All.Except(options.AllowedWithResume)
                .Where(o => TrainOptions.IsGiven(result, o)).Select(o => o.Name).ToArray();
            if (notAllowed.Length > 0)
            {
                throw new CliUsageException(
                    $"{string.Join(", ", notAllowed)} cannot be changed when resuming: a resumed run keeps the settings in {UserText.Path(Path.Combine(resume, RunFolder.Config))}. Only {UserText.List(options.AllowedWithResume.Where(o => o != options.Resume).Select(o => o.Name))} may be given with --resume.");
            }
            checkpoint = TrainingCheckpoint.Load(TrainingCheckpoint.PathIn(resume));
            checkpoint = new TrainingCheckpoint(checkpoint.Network, checkpoint.Optimizer,
                checkpoint.State with { Config = checkpoint.State.Config with { Device = device.Request.ToString() } });
            config = checkpoint.State.Config;
            if (TrainOptions.IsGiven(result, options.Data))
            {
                config = config with { Data = config.Data with { DataFolder = result.GetValue(options.Data) } };
            }
            runFolder = resume;
        }
        else
        {
            config = options.ToConfig(result) with { Device = device.Request.ToString() };
            config.Validate();
            MemoryBudget.CheckBeforeLoading(config, EngineThreads.Count, MemoryBudget.ProcessAvailableBytes());
            runFolder = result.GetValue(options.Out) ?? RunFolder.DefaultPath(config.Architecture, DateTime.Now);
            if (InputPaths.FileInsteadOfFolder(runFolder, "a run folder") is string wrongKind)
            {
                throw new CliUsageException($"--out {wrongKind}; give the path of a new folder.");
            }
            if (File.Exists(Path.Combine(runFolder, RunFolder.Checkpoint)))
            {
                throw new CliUsageException($"{UserText.Path(runFolder)} already holds a run; continue it with --resume {UserText.Path(runFolder)}, or choose another --out.");
            }
        }

        DatasetSplits data = DatasetLoader.Load(config.Data, context.Downloader);
        long available = MemoryBudget.ProcessAvailableBytes();
        MemoryEstimate memory = MemoryBudget.Check(config, data.Train.Channels, data.Train.Height, data.Train.Width, (long)data.Train.Count + data.Test.Count,
            EngineThreads.Count, available);
        int? epochs = resume is not null && TrainOptions.IsGiven(result, options.Epochs) ? result.GetValue(options.Epochs) : null;
        DeviceDataPlan dataPlan = DeviceDataOption.Plan(result, options.DeviceData, data.Train, config.BatchSize,
            config.Data.Binarize == Binarization.Dynamic, device.Backend, MemoryBudget.DeviceBytesWithoutData(config, data.Train));
        if (device.Accelerator is { } accelerator)
        {
            MemoryBudget.CheckDevice(config, data.Train, dataPlan, accelerator.MemorySize, device.Label);
        }
        using StopSignal stop = context.StopSignalFactory();
        TrainingLoop loop = checkpoint is null
            ? TrainingLoop.Start(config, data, runFolder, stop, device.Backend, dataPlan)
            : TrainingLoop.Resume(checkpoint, epochs, data, runFolder, stop, device.Backend, dataPlan);
        PrintHeader(output, loop, data, device, runFolder, resumed: checkpoint is not null);
        output.WriteLine($"memory  about {MemoryEstimate.Gib(memory.TotalBytes)} at most, of {MemoryEstimate.Gib(available)} available");

        TrainingOutcome outcome = RunLoop(loop, context, device.Label);
        switch (outcome.Kind)
        {
            case TrainingOutcomeKind.Diverged:
                context.Error.WriteLine($"error: {outcome.Message}");
                return ExitCodes.Diverged;
            case TrainingOutcomeKind.Interrupted:
                output.WriteLine(outcome.Message);
                return ExitCodes.Interrupted;
        }
        return Finish(loop, data, runFolder, output);
    }

    private static TrainingOutcome RunLoop(TrainingLoop loop, CliContext context, string device)
    {
        if (context.Console is null)
        {
            return loop.Run(new PlainProgress(context.Output, device));
        }
        return LiveProgress.Create(context.Console!).Start(ctx => loop.Run(new LiveProgress(ctx, context.Console!, device)));
    }

    /// <summary>Export, parity check and pictures for a completed run; returns the exit code.</summary>
    public static int Finish(TrainingLoop loop, DatasetSplits data, string runFolder, TextWriter output)
    {
        TrainingState state = loop.State;
        double? testLoss = state.History.Count > 0 ? state.History[^1].TestLoss : null;
        ExportMetadata metadata = ModelExport.MetadataOf(loop.Network, state.DatasetName, state.EpochsDone, testLoss);
        int checkCount = Math.Min(64, data.Test.Count);
        float[] checkImages = data.Test.Pixels.AsSpan(0, checkCount * data.Test.ImageSize).ToArray();
        ParityReport parity;
        try
        {
            parity = ModelExport.ExportAndVerify(loop.Network, metadata, runFolder, checkImages, checkCount);
        }
        catch (ExportMismatchException e)
        {
            output.WriteLine(e.Report.ToString());
            throw;
        }
        output.WriteLine(parity.ToString());
        IReadOnlyList<string> pictures = RunReports.Write(loop.Network, state, data.Test, runFolder, state.Config.Seed);
        IReadOnlyList<string> map = LatentPointsExport.Write(loop.Network, data.Test, state.DatasetName, runFolder);
        output.WriteLine($"run folder {runFolder}: {RunFolder.Encoder}, {RunFolder.Decoder}, {RunFolder.Checkpoint}, {RunFolder.Config}, {RunFolder.MetricsCsv}, {RunFolder.MetricsJson}, {string.Join(", ", pictures.Select(Path.GetFileName))}, {Path.GetFileName(map[0])}, {map.Count - 1} examples");
        return ExitCodes.Success;
    }

    private static void PrintHeader(TextWriter output, TrainingLoop loop, DatasetSplits data, ComputeDevice device, string runFolder, bool resumed)
    {
        TrainingConfig c = loop.State.Config;
        string threads = EngineThreads.Count.ToString(CultureInfo.InvariantCulture);
        output.WriteLine($"model   {loop.Network.Architecture.Describe()} ({loop.Network.Parameters.Sum(p => (long)p.Value.Length):N0} parameters)");
        output.WriteLine($"data    {data.Name}: {data.Train.Count} training, {data.Test.Count} test images of {data.Train.Channels}x{data.Train.Height}x{data.Train.Width}" +
            (c.Data.Binarize != Binarization.None ? $", binarized ({c.Data.Binarize.ToString().ToLowerInvariant()})" : ""));
        foreach (string note in data.Notes)
        {
            output.WriteLine($"note    {note}");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"train   {c.Epochs} epochs, batch {c.BatchSize}, Adam lr {c.LearningRate}, beta {c.Beta}{(c.KlWarmupEpochs > 0 ? $" (warm-up {c.KlWarmupEpochs} epochs)" : "")}, seed {c.Seed}, {threads} threads"));
        output.WriteLine($"device  {device.Describe()}{(loop.Backend.IsDevice ? $"; training set {loop.DataPlan.Describe()}" : "")}");
        output.WriteLine(resumed
            ? $"resume  {runFolder}: {loop.State.EpochsDone} epochs done{(loop.State.MidEpoch ? $", continuing epoch {loop.State.EpochsDone + 1} at batch {loop.State.BatchesDone + 1}" : "")}"
            : $"run     {runFolder}");
        output.Flush();
    }
}
