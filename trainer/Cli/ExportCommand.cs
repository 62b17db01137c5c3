// `export --checkpoint RUN_DIR/checkpoint.bin --out DIR`: writes encoder.onnx and decoder.onnx from a checkpoint,
// checked against the network through ONNX Runtime (on deterministic random images, so no dataset is needed;
// Runs/RunFolder.Export), then the latent points and examples of the run's test split when it can be loaded
// (RunFolder.ExportLatentPoints).
using System.CommandLine;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Training;

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
            RunFolder run = RunFolder.Open(result.GetValue(checkpointOption)!);
            string folder = result.GetValue(outOption)!;
            if (InputPaths.FileInsteadOfFolder(folder, "a folder") is string wrongKind)
            {
                throw new CliUsageException($"--out {wrongKind}; give the folder to write {VaeContract.EncoderFileName} and {VaeContract.DecoderFileName} into.");
            }
            ParityReport parity = run.Export(folder);
            TrainingState state = run.Checkpoint.State;
            context.Output.WriteLine(parity.ToString());
            var (map, mapNote) = run.ExportLatentPoints(folder);
            context.Output.WriteLine(mapNote is null ? $"wrote {map[0]} and {map.Count - 1} examples" : $"note: {mapNote}");
            context.Output.WriteLine($"wrote {Path.Combine(folder, VaeContract.EncoderFileName)} and {Path.Combine(folder, VaeContract.DecoderFileName)} ({state.EpochsDone} epochs of training{(state.MidEpoch ? $" and {state.BatchesDone} batches" : "")})");
            return ExitCodes.Success;
        });
        return command;
    }
}
