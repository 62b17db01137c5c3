// An existing run folder opened for use: its checkpoint (network, optimizer, training state), the config it was
// trained with, and its data loaded the way the run was trained, with the changes a command asks for (DataOverrides).
// evaluate, export, anomaly-demo and train --resume all open a run here. The names of the files in a run folder are
// Training/RunFiles'; where a new run goes by default is DefaultPath.
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Runs;

public sealed class RunFolder
{
    private RunFolder(string path, TrainingCheckpoint checkpoint)
    {
        Path = path;
        Checkpoint = checkpoint;
    }

    /// <summary>The folder or checkpoint file as given.</summary>
    public string Path { get; }

    public TrainingCheckpoint Checkpoint { get; }

    /// <summary>The settings the run was trained with (its config.json, as stored in the checkpoint).</summary>
    public TrainingConfig Config => Checkpoint.State.Config;

    public VaeNetwork Network => Checkpoint.Network;

    /// <summary>
    /// Opens a run folder (its checkpoint.bin) or a checkpoint file; throws a CheckpointException naming the file
    /// when there is none or it cannot be used.
    /// </summary>
    public static RunFolder Open(string folderOrCheckpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folderOrCheckpoint);
        return new RunFolder(folderOrCheckpoint, TrainingCheckpoint.Load(TrainingCheckpoint.PathIn(folderOrCheckpoint)));
    }

    /// <summary>The run's dataset request with <paramref name="overrides"/> applied.</summary>
    public DatasetRequest DataRequest(DataOverrides overrides) => overrides.ApplyTo(Config.Data);

    /// <summary>Loads the run's data with <paramref name="overrides"/> applied (DatasetLoader.Load: checked, downloaded if allowed).</summary>
    public DatasetSplits LoadData(DataOverrides overrides, DatasetDownloader? downloader) => DatasetLoader.Load(DataRequest(overrides), downloader);

    /// <summary>Images the export is checked on when no test data is at hand (deterministic random images).</summary>
    public const int ExportCheckImages = 16;

    /// <summary>
    /// Writes encoder.onnx and decoder.onnx of the checkpoint's network into <paramref name="folder"/> (created if
    /// needed), checked against the network on deterministic random images first; returns the check. Throws
    /// ExportMismatchException, installing nothing, when the check fails.
    /// </summary>
    public ParityReport Export(string folder)
    {
        TrainingState state = Checkpoint.State;
        double? testLoss = state.History.Count > 0 ? state.History[^1].TestLoss : null;
        ExportMetadata metadata = ModelExport.MetadataOf(Network, state.DatasetName, state.EpochsDone, testLoss);
        float[] images = ModelExport.CheckImages(Network.Architecture, ExportCheckImages);
        return ModelExport.ExportAndVerify(Network, metadata, folder, images, ExportCheckImages);
    }

    /// <summary>
    /// Writes latent-points.json and examples/ (LatentPointsExport) of the run's test split, loaded as the run loaded it
    /// but without downloading, into <paramref name="folder"/>; returns the paths written. When the split cannot be
    /// loaded, writes nothing and returns a note saying why (the graphs are exported all the same).
    /// </summary>
    public (IReadOnlyList<string> Written, string? Note) ExportLatentPoints(string folder)
    {
        DatasetSplits data;
        try
        {
            data = LoadData(DataOverrides.None with { TrainLimit = 1 }, downloader: null);
        }
        catch (Exception e) when (e is DatasetException or IOException)
        {
            return ([], $"no {Runtime.Core.VaeContract.LatentPointsFileName} or examples: the run's test images could not be loaded ({e.Message})");
        }
        return (LatentPointsExport.Write(Network, data.Test, Checkpoint.State.DatasetName, folder), null);
    }

    /// <summary>Whether <paramref name="folder"/> already holds a run (its checkpoint.bin).</summary>
    public static bool HoldsRun(string folder) => File.Exists(System.IO.Path.Combine(folder, RunFiles.Checkpoint));

    /// <summary>runs/&lt;arch&gt;-&lt;yyyyMMdd-HHmmss&gt; under the current directory: where a new run goes without --out.</summary>
    public static string DefaultPath(VaeKind architecture, DateTime now) =>
        System.IO.Path.Combine("runs", $"{architecture.ToName()}-{now:yyyyMMdd-HHmmss}");
}
