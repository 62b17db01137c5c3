// One training run from its settings to its exported model, the sequence `train` and `anomaly-demo` share:
//   Prepare (a new run) or Resume (from a run folder's checkpoint): every check that can fail before the first step,
//     in the order that fails cheapest first: the settings, the memory the run needs (before and after loading the
//     data), the run folder, the GPU's memory with the chosen data plan. Nothing is written yet.
//   Start: the loop, with fresh weights from the seed (or those of --init-from's checkpoint) or the resumed checkpoint's;
//     config.json is written.
//   Finish: encoder.onnx + decoder.onnx exported and checked against the network (ModelExport), then the pictures.
//   Train: Start, the loop run by the caller's IRunView, and Finish when every epoch ran.
// It does not parse options or print (the CLI's commands do), and it does not choose the device (the caller opens it).
using System.Security.Cryptography;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Reports;
using VaeOnnx.Trainer.Training;
using VaeOnnx.Trainer.Training.Feeding;

namespace VaeOnnx.Trainer.Runs;

public sealed class TrainingRun
{
    /// <summary>Test images the exported graphs are checked on (fewer when the test set is smaller).</summary>
    public const int ExportCheckImages = 64;

    private readonly TrainingCheckpoint? _checkpoint;
    private readonly TrainingCheckpoint? _initial;
    private readonly int? _epochs;

    private TrainingRun(TrainingConfig config, string folder, TrainingCheckpoint? checkpoint, TrainingCheckpoint? initial, int? epochs, DatasetSplits data,
        RunEnvironment environment, MemoryEstimate memory, long availableBytes)
    {
        Config = config;
        Folder = folder;
        _checkpoint = checkpoint;
        _initial = initial;
        _epochs = epochs;
        Data = data;
        Environment = environment;
        Memory = memory;
        AvailableBytes = availableBytes;
        DataPlan = DeviceDataPlan.Choose(environment.DeviceData, data.Train, config.BatchSize, config.Data.Binarize == Binarization.Dynamic,
            environment.Device.Backend, networkDeviceBytes: MemoryBudget.DeviceBytesWithoutData(config, data.Train));
        if (environment.Device.Accelerator is { } accelerator)
        {
            MemoryBudget.CheckDevice(config, data.Train, DataPlan, accelerator.MemorySize, environment.Device.Label);
        }
    }

    /// <summary>The settings the run trains with (a resumed run's, with the device it continues on and any new data folder).</summary>
    public TrainingConfig Config { get; }

    public string Folder { get; }

    public bool IsResumed => _checkpoint is not null;

    public DatasetSplits Data { get; }

    public RunEnvironment Environment { get; }

    /// <summary>How the training set reaches the device.</summary>
    public DeviceDataPlan DataPlan { get; }

    /// <summary>The estimate of the memory the run needs at most, checked against <see cref="AvailableBytes"/>.</summary>
    public MemoryEstimate Memory { get; }

    public long AvailableBytes { get; }

    /// <summary>
    /// Prepares a new run of <paramref name="config"/> in <paramref name="folder"/> (null: RunFolder.DefaultPath). Throws
    /// a TrainingConfigException when a setting cannot work or the run cannot fit, a CliUsageException when the folder
    /// is a file or already holds a run, a DatasetException when the data cannot be loaded, a CheckpointException when
    /// config.InitFrom names no usable checkpoint (its SHA-256 is recorded in the config).
    /// </summary>
    public static TrainingRun Prepare(TrainingConfig config, string? folder, RunEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        config = config.Resolved() with { Device = environment.Device.Request.ToString() };
        config.Validate();
        MemoryBudget.CheckBeforeLoading(config, EngineThreads.Count, environment.AvailableBytes());
        folder ??= RunFolder.DefaultPath(config.Architecture, DateTime.Now);
        if (InputPaths.FileInsteadOfFolder(folder, "a run folder") is string wrongKind)
        {
            throw new CliUsageException($"--out {wrongKind}; give the path of a new folder.");
        }
        if (RunFolder.HoldsRun(folder))
        {
            throw new CliUsageException($"{UserText.Path(folder)} already holds a run; continue it with --resume {UserText.Path(folder)}, or choose another --out.");
        }
        TrainingCheckpoint? initial = null;
        if (config.InitFrom is string from)
        {
            string path = TrainingCheckpoint.PathIn(from);
            initial = TrainingCheckpoint.Load(path);
            config = config with { InitFromSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))) };
        }
        return Loaded(config, folder, checkpoint: null, initial, epochs: null, environment);
    }

    /// <summary>
    /// Prepares the continuation of the run in <paramref name="folder"/> from its checkpoint, on the environment's
    /// device. <paramref name="epochs"/> (null: the run's) may raise the total; <paramref name="dataFolder"/> (null:
    /// the run's) says where the same data is now. Throws as Prepare does, and a CheckpointException when the folder
    /// holds no usable checkpoint.
    /// </summary>
    public static TrainingRun Resume(string folder, int? epochs, string? dataFolder, RunEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        RunFolder run = RunFolder.Open(folder);
        // The device a run continues on is recorded in the state the loop carries on; a new data folder is used, not recorded.
        var checkpoint = new TrainingCheckpoint(run.Checkpoint.Network, run.Checkpoint.Optimizer,
            run.Checkpoint.State with { Config = run.Config with { Device = environment.Device.Request.ToString() } });
        TrainingConfig config = checkpoint.State.Config with { Data = run.DataRequest(new DataOverrides { DataFolder = dataFolder }) };
        return Loaded(config, folder, checkpoint, initial: null, epochs, environment);
    }

    private static TrainingRun Loaded(TrainingConfig config, string folder, TrainingCheckpoint? checkpoint, TrainingCheckpoint? initial, int? epochs,
        RunEnvironment environment)
    {
        DatasetSplits data = DatasetLoader.Load(config.Data, environment.Downloader);
        long available = environment.AvailableBytes();
        MemoryEstimate memory = MemoryBudget.Check(config, data.Train.Channels, data.Train.Height, data.Train.Width, (long)data.Train.Count + data.Test.Count,
            EngineThreads.Count, available);
        return new TrainingRun(config, folder, checkpoint, initial, epochs, data, environment, memory, available);
    }

    /// <summary>
    /// Makes the loop: fresh weights from the seed (or --init-from's) for a new run, the checkpoint's for a resumed
    /// one. Writes config.json. Throws a TrainingConfigException when --init-from's network is not this run's.
    /// </summary>
    public TrainingLoop Start(StopSignal stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        return _checkpoint is null
            ? TrainingLoop.Start(Config, Data, Folder, stop, Environment.Device.Backend, DataPlan, _initial?.Network)
            : TrainingLoop.Resume(_checkpoint, _epochs, Data, Folder, stop, Environment.Device.Backend, DataPlan);
    }

    /// <summary>
    /// Exports encoder.onnx + decoder.onnx from a completed loop, checks them against the network on test images
    /// (<paramref name="checkedExport"/> sees the check, passed or not), installs them, draws the pictures and writes
    /// the latent map's points and examples (LatentPointsExport). Throws
    /// ExportMismatchException, installing nothing, when the check fails.
    /// </summary>
    public FinishedRun Finish(TrainingLoop loop, Action<ParityReport>? checkedExport = null)
    {
        ArgumentNullException.ThrowIfNull(loop);
        TrainingState state = loop.State;
        double? testLoss = state.History.Count > 0 ? state.History[^1].TestLoss : null;
        ExportMetadata metadata = ModelExport.MetadataOf(loop.Network, state.DatasetName, state.EpochsDone, testLoss);
        int checkCount = Math.Min(ExportCheckImages, Data.Test.Count);
        float[] checkImages = Data.Test.Pixels.AsSpan(0, checkCount * Data.Test.ImageSize).ToArray();
        ParityReport parity;
        try
        {
            parity = ModelExport.ExportAndVerify(loop.Network, metadata, Folder, checkImages, checkCount);
        }
        catch (ExportMismatchException e)
        {
            checkedExport?.Invoke(e.Report);
            throw;
        }
        checkedExport?.Invoke(parity);
        IReadOnlyList<string> pictures = RunReports.Write(loop.Network, state, Data.Test, Folder, state.Config.Seed);
        IReadOnlyList<string> map = LatentPointsExport.Write(loop.Network, Data.Test, state.DatasetName, Folder);
        string[] files =
        [
            VaeContract.EncoderFileName, VaeContract.DecoderFileName, RunFiles.Checkpoint, RunFiles.Config, RunFiles.MetricsCsv, RunFiles.MetricsJson,
            .. pictures.Select(p => Path.GetFileName(p)), .. map.Select(p => Path.GetRelativePath(Folder, p)),
        ];
        return new FinishedRun(Folder, parity, files);
    }

    /// <summary>Start, train to the end through <paramref name="view"/>, Finish when every epoch ran, and tell the view how it ended.</summary>
    public TrainingResult Train(StopSignal stop, IRunView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        TrainingLoop loop = Start(stop);
        view.Started(this, loop);
        TrainingOutcome outcome = view.Train(this, loop);
        var result = outcome.Kind == TrainingOutcomeKind.Completed
            ? new TrainingResult(outcome, Finish(loop, view.Checked))
            : new TrainingResult(outcome, null);
        view.Ended(result);
        return result;
    }
}

/// <summary>A completed run's folder: the export check and the files it holds, by name.</summary>
public sealed record FinishedRun(string Folder, ParityReport Parity, IReadOnlyList<string> Files);

/// <summary>How a run's training ended, and its finished folder when every epoch ran.</summary>
public sealed record TrainingResult(TrainingOutcome Outcome, FinishedRun? Finished);
