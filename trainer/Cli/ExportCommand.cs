// `export --checkpoint RUN_DIR/checkpoint.bin --out DIR`: writes encoder.onnx and decoder.onnx from a checkpoint,
// checked against the network through ONNX Runtime (on deterministic random images, so no dataset is needed), then the
// latent points and examples of the run's test split when it can be loaded (LatentPointsExport).
using System.CommandLine;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Training;

using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Cli;

public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var checkpointOption = new Option<string>("--checkpoint") { Description = "A checkpoint file, or a run folder holding checkpoint.bin", Required = true };
        var outOption = new Option<string>("--out") { Description = "Folder to write encoder.onnx and decoder.onnx into (created if needed)", Required = true };
        var command = new Command("export", "Export encoder.onnx + decoder.onnx from a checkpoint (checked against the network on ONNX Runtime)")
        {
            checkpointOption, outOption,
        };
        CommandAction.Set(command, context, result =>
        {
            TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(TrainingCheckpoint.PathIn(result.GetValue(checkpointOption)!));
            TrainingState state = checkpoint.State;
            double? testLoss = state.History.Count > 0 ? state.History[^1].TestLoss : null;
            ExportMetadata metadata = ModelExport.MetadataOf(checkpoint.Network, state.DatasetName, state.EpochsDone, testLoss);
            const int checkCount = 16;
            float[] images = ModelExport.CheckImages(checkpoint.Network.Architecture, checkCount);
            string folder = result.GetValue(outOption)!;
            if (InputPaths.FileInsteadOfFolder(folder, "a folder") is string wrongKind)
            {
                throw new CliUsageException($"--out {wrongKind}; give the folder to write {VaeExporter.EncoderFile} and {VaeExporter.DecoderFile} into.");
            }
            ParityReport parity = ModelExport.ExportAndVerify(checkpoint.Network, metadata, folder, images, checkCount);
            context.Output.WriteLine(parity.ToString());
            var (map, mapNote) = LatentPointsExport.TryWrite(checkpoint.Network, state.Config.Data, state.DatasetName, folder);
            context.Output.WriteLine(mapNote is null ? $"wrote {map[0]} and {map.Count - 1} examples" : $"note: {mapNote}");
            context.Output.WriteLine($"wrote {Path.Combine(folder, VaeExporter.EncoderFile)} and {Path.Combine(folder, VaeExporter.DecoderFile)} ({state.EpochsDone} epochs of training{(state.MidEpoch ? $" and {state.BatchesDone} batches" : "")})");
            return ExitCodes.Success;
        });
        return command;
    }
}
