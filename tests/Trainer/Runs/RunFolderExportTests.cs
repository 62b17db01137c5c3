// RunFolder.ExportLatentPoints, what `export` calls after the graphs: from a run trained on a folder of images it writes
// latent-points.json and examples/ for the run's test split, equal to the ones the run itself wrote; once that folder
// is gone it writes nothing and says why, in one note.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine.Devices;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Runs;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Runs;

public sealed class RunFolderExportTests
{
    [Test]
    public void TheLatentPointsAreExportedFromTheRunsTestImagesOrANoteSaysWhyNot()
    {
        using var folder = new TemporaryFolder();
        string images = folder.File("images");
        for (int label = 0; label < 2; label++)
        {
            for (int n = 0; n < 20; n++)
            {
                var pixels = Enumerable.Range(0, 64).Select(i => (byte)((i * (n + 3) + label * 97) % 256)).ToArray();
                ImageFile.WritePng(new PixelImage(8, 8, 1, pixels), Path.Combine(images, label == 0 ? "circle" : "square", $"{n:D2}.png"));
            }
        }
        var config = new TrainingConfig
        {
            Architecture = VaeKind.Mlp,
            Hidden = 8,
            Epochs = 1,
            BatchSize = 8,
            Seed = 3,
            Data = new DatasetRequest { Dataset = DatasetRequest.FolderPrefix + images },
        };
        using ComputeDevice cpu = ComputeDevice.Open(DeviceRequest.CpuName);
        string run = folder.File("run");
        var result = TrainingRun.Prepare(config, run, new RunEnvironment(cpu)).Train(StopSignal.Manual(), new SilentView());
        Assert.That(result.Outcome.Kind, Is.EqualTo(TrainingOutcomeKind.Completed), result.Outcome.Message);
        Assert.That(result.Finished!.Files, Does.Contain(VaeContract.LatentPointsFileName).And.Contain(Path.Combine(VaeContract.ExamplesFolderName, "circle.png")));

        string exported = folder.File("exported");
        var (written, note) = RunFolder.Open(run).ExportLatentPoints(exported);
        Assert.That(note, Is.Null);
        Assert.That(written.Select(p => Path.GetRelativePath(exported, p)), Is.EqualTo(new[] { VaeContract.LatentPointsFileName, Path.Combine("examples", "circle.png"), Path.Combine("examples", "square.png") }));
        Assert.That(File.ReadAllBytes(written[0]), Is.EqualTo(File.ReadAllBytes(Path.Combine(run, VaeContract.LatentPointsFileName))), "the same points as the run's");

        Directory.Delete(images, recursive: true);
        string again = folder.File("again");
        var (none, why) = RunFolder.Open(run).ExportLatentPoints(again);
        Assert.That(none, Is.Empty);
        Assert.That(why, Does.StartWith("no latent-points.json or examples: the run's test images could not be loaded ("));
        Assert.That(File.Exists(Path.Combine(again, VaeContract.LatentPointsFileName)), Is.False);
    }
}
