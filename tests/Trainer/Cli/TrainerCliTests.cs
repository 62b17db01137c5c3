// The trainer's command line, run in-process with captured output: a train/resume cycle through the options
// (2 + 2 epochs equal 4, bit for bit), the run folder's contents, evaluate and export, and the user-error contract:
// one "error: ..." line, a non-zero exit code, and no run folder left behind.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;
using VaeOnnx.Tests.Trainer.Training;
using VaeOnnx.Trainer.Cli;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed class TrainerCliTests
{
    private static readonly string[] Tiny = ["--dataset", "shapes", "--image-size", "16", "--train-limit", "128", "--test-limit", "32", "--batch", "32", "--latent", "2", "--seed", "5"];

    [Test]
    public void TwoPlusTwoEpochsThroughResumeEqualFour()
    {
        using var folder = new TemporaryFolder();
        string straight = folder.File("straight"), split = folder.File("split");

        Assert.That(Run([.. Tiny, "--epochs", "4", "--out", straight]).Code, Is.EqualTo(0));
        Assert.That(Run([.. Tiny, "--epochs", "2", "--out", split]).Code, Is.EqualTo(0));
        var resumed = Run(["train", "--resume", split, "--epochs", "4"]);
        Assert.That(resumed.Code, Is.EqualTo(0), resumed.Error);
        Assert.That(resumed.Output, Does.Contain("2 epochs done"));

        TrainingCheckpoint a = TrainingCheckpoint.Load(Path.Combine(straight, RunFiles.Checkpoint));
        TrainingCheckpoint b = TrainingCheckpoint.Load(Path.Combine(split, RunFiles.Checkpoint));
        Assert.That(b.State.EpochsDone, Is.EqualTo(4));
        for (int i = 0; i < a.Network.Parameters.Count; i++)
        {
            Assert.That(b.Network.Parameters[i].Value.Span.ToArray(), Is.EqualTo(a.Network.Parameters[i].Value.Span.ToArray()), a.Network.Parameters[i].Name);
        }
        Assert.That(b.State.History.Select(m => m.TestLoss), Is.EqualTo(a.State.History.Select(m => m.TestLoss)));
        Assert.That(File.ReadAllLines(Path.Combine(split, RunFiles.MetricsCsv)), Has.Length.EqualTo(5));
        Assert.That(File.ReadAllBytes(Path.Combine(split, VaeContract.DecoderFileName)), Is.EqualTo(File.ReadAllBytes(Path.Combine(straight, VaeContract.DecoderFileName))),
            "the exported decoders are byte-identical");
    }

    [Test]
    public void ARunFolderHoldsModelsMetricsAndPictures()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        var result = Run([.. Tiny, "--epochs", "1", "--out", run]);
        TestContext.Out.WriteLine(result.Output);
        Assert.That(result.Code, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Contain("ONNX parity on 32 images"));
        Assert.That(result.Output, Does.Match(@"epoch 1/1  train \d+\.\d\d  test \d+\.\d\d nats/image"));
        foreach (string name in new[] { VaeContract.EncoderFileName, VaeContract.DecoderFileName, RunFiles.Checkpoint, RunFiles.Config, RunFiles.MetricsCsv, RunFiles.MetricsJson,
            RunFiles.LossPlot, RunFiles.Samples, RunFiles.Reconstructions, RunFiles.Interpolation, RunFiles.Manifold, RunFiles.LatentScatter })
        {
            Assert.That(File.Exists(Path.Combine(run, name)), name);
        }
        Assert.That(Directory.GetFileSystemEntries(run).Select(Path.GetFileName), Has.None.StartsWith("."), "no temporary files remain");
        OnnxChecker.AssertValid(Path.Combine(run, VaeContract.EncoderFileName), Path.Combine(run, VaeContract.DecoderFileName));
        PixelImage manifold = ImageFile.Read(Path.Combine(run, RunFiles.Manifold));
        Assert.That(manifold.Width, Is.GreaterThanOrEqualTo(16 * 20));
        TrainingConfig config = TrainingConfig.FromJson(File.ReadAllText(Path.Combine(run, RunFiles.Config)), "config.json");
        Assert.That((config.LatentSize, config.BatchSize, config.Seed, config.Data.Dataset), Is.EqualTo((2, 32, 5UL, "shapes")));
        Assert.That(MetricsLog.FromJson(File.ReadAllText(Path.Combine(run, RunFiles.MetricsJson))), Has.Count.EqualTo(1));

        var evaluated = Run(["evaluate", "--model", run]);
        Assert.That(evaluated.Code, Is.EqualTo(0), evaluated.Error);
        Assert.That(evaluated.Output, Does.Match(@"negative ELBO \d+\.\d+ nats/image = reconstruction \d+\.\d+ \+ KL \d+\.\d+"));

        string exported = folder.File("exported");
        var export = Run(["export", "--checkpoint", Path.Combine(run, RunFiles.Checkpoint), "--out", exported]);
        Assert.That(export.Code, Is.EqualTo(0), export.Error);
        OnnxChecker.AssertValid(Path.Combine(exported, VaeContract.EncoderFileName), Path.Combine(exported, VaeContract.DecoderFileName));
        // The latent map's points and the examples come with both the run and the export, the same for the same weights.
        Assert.That(File.ReadAllBytes(Path.Combine(exported, VaeContract.LatentPointsFileName)),
            Is.EqualTo(File.ReadAllBytes(Path.Combine(run, VaeContract.LatentPointsFileName))));
        Assert.That(Directory.GetFiles(Path.Combine(exported, VaeContract.ExamplesFolderName)), Is.Not.Empty);
        Assert.That(export.Output, Does.Contain("latent-points.json and"));
    }

    [Test]
    public void StopRequestSavesAResumableCheckpointAndExits130()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        var stop = StopSignal.Manual();
        stop.Request();
        var stopped = Run([.. Tiny, "--epochs", "1", "--out", run], stop);
        Assert.That(stopped.Code, Is.EqualTo(ExitCodes.Interrupted), stopped.Error);
        Assert.That(stopped.Output, Does.Contain("--resume " + run));
        Assert.That(File.Exists(Path.Combine(run, RunFiles.Checkpoint)));
        Assert.That(File.Exists(Path.Combine(run, VaeContract.EncoderFileName)), Is.False, "an interrupted run exports nothing");
        Assert.That(Run(["--resume", run]).Code, Is.EqualTo(0));
    }

    [Test]
    public void AbsurdLearningRateDivergesWithExitCode3()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        var result = Run([.. Tiny, "--epochs", "2", "--lr", "1e9", "--out", run]);
        TestContext.Out.WriteLine(result.Error);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.Diverged));
        Assert.That(result.Error, Does.StartWith("error: Training diverged:").And.Contain("--lr"));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(File.Exists(Path.Combine(run, VaeContract.EncoderFileName)), Is.False);
    }

    [TestCase(new[] { "--epochs", "many" }, ExitCodes.UsageError, "epochs")]
    [TestCase(new[] { "--arch", "rnn" }, ExitCodes.UsageError, "rnn")]
    [TestCase(new[] { "--likelihood", "poisson" }, ExitCodes.UsageError, "'poisson' not recognized. Must be one of: 'bernoulli' 'gaussian'")]
    [TestCase(new[] { "--likelihood", "Gaussian" }, ExitCodes.UsageError, "'Gaussian' not recognized. Must be one of: 'bernoulli' 'gaussian'")]
    [TestCase(new[] { "--no-such-option" }, ExitCodes.UsageError, "--no-such-option")]
    [TestCase(new[] { "--dataset", "cifar" }, ExitCodes.UserError, "Unknown dataset \"cifar\"")]
    [TestCase(new[] { "--lr", "-1" }, ExitCodes.UserError, "--lr -1 is not usable")]
    [TestCase(new[] { "--image-size", "12y" }, ExitCodes.UserError, "--image-size 12y")]
    [TestCase(new[] { "--digits", "7-3" }, ExitCodes.UserError, "Invalid label list")]
    [TestCase(new[] { "--image-size", "32" }, ExitCodes.UserError, "apply to folder:PATH and shapes")]
    [TestCase(new[] { "--dataset", "mnist", "--data", "EMPTY" }, ExitCodes.UserError, "mnist is not in")]
    [TestCase(new[] { "--resume", "EMPTY" }, ExitCodes.UserError, "holds no checkpoint.bin")]
    [TestCase(new[] { "evaluate" }, ExitCodes.UsageError, "--model")]
    [TestCase(new[] { "export", "--checkpoint", "EMPTY/nothing.bin", "--out", "RUN" }, ExitCodes.UserError, "does not exist")]
    [TestCase(new[] { "--dataset", "shapes", "--channels", "3", "--image-size", "4096", "--arch", "mlp", "--hidden", "8" }, ExitCodes.UserError, "855,638,084 parameters")]
    [TestCase(new[] { "--dataset", "shapes", "--image-size", "4096", "--batch", "64" }, ExitCodes.UserError, "more than a .NET array can")]
    [TestCase(new[] { "--dataset", "folder:" }, ExitCodes.UserError, "--dataset folder: needs the path")]
    [TestCase(new[] { "--dataset", "folder:EMPTY/FILE" }, ExitCodes.UserError, "is a file")]
    [TestCase(new[] { "--dataset", "shapes", "--out", "EMPTY/FILE" }, ExitCodes.UserError, "--out EMPTY/FILE is a file")]
    [TestCase(new[] { "--resume", "EMPTY/FILE" }, ExitCodes.UserError, "checkpoint")]
    [TestCase(new[] { "export", "--checkpoint", "EMPTY", "--out", "RUN" }, ExitCodes.UserError, "holds no checkpoint.bin")]
    [TestCase(new[] { "--dataset", "mnist", "--data", "EMPTY/FILE" }, ExitCodes.UserError, "is a file, not a folder of mnist IDX files")]
    public void UserErrorsAreOneLineWithNoRunFolder(string[] args, int code, string fragment)
    {
        using var folder = new TemporaryFolder();
        string empty = folder.File("empty");
        Directory.CreateDirectory(empty);
        File.WriteAllText(Path.Combine(folder.File("FILE")), "not a folder");
        string run = folder.File("run");
        string[] arguments = args.Select(a => a.Replace("EMPTY/FILE", folder.File("FILE")).Replace("EMPTY", empty).Replace("RUN", run)).ToArray();
        fragment = fragment.Replace("EMPTY/FILE", folder.File("FILE"));
        if (!arguments.Contains("--out") && !arguments.Contains("--resume") && arguments[0].StartsWith("--", StringComparison.Ordinal))
        {
            arguments = [.. arguments, "--out", run];
        }

        var result = Run(arguments);

        TestContext.Out.WriteLine(result.Error);
        Assert.That(result.Code, Is.EqualTo(code));
        Assert.That(result.Error, Does.StartWith("error: ").And.Contain(fragment));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(Directory.Exists(run), Is.False, "nothing is written on a user error");
    }

    [Test]
    public void ResumeRefusesChangedSettingsAndExistingRunsAreNotOverwritten()
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        Assert.That(Run([.. Tiny, "--epochs", "1", "--out", run]).Code, Is.EqualTo(0));
        byte[] checkpoint = File.ReadAllBytes(Path.Combine(run, RunFiles.Checkpoint));

        var changed = Run(["--resume", run, "--lr", "0.01", "--batch", "8"]);
        Assert.That(changed.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(changed.Error, Does.Contain("--lr, --batch cannot be changed when resuming"));
        Assert.That(changed.Error, Does.Contain("Only --epochs, --threads, --data, --device and --device-data may be given with --resume."));

        var again = Run([.. Tiny, "--out", run]);
        Assert.That(again.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(again.Error, Does.Contain("already holds a run"));
        Assert.That(File.ReadAllBytes(Path.Combine(run, RunFiles.Checkpoint)), Is.EqualTo(checkpoint));

        // A damaged checkpoint is refused with the engine's diagnosis, on one line.
        byte[] damaged = (byte[])checkpoint.Clone();
        damaged[^100] ^= 0x40;
        File.WriteAllBytes(Path.Combine(run, RunFiles.Checkpoint), damaged);
        var corrupt = Run(["--resume", run, "--epochs", "2"]);
        TestContext.Out.WriteLine(corrupt.Error);
        Assert.That(corrupt.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(corrupt.Error, Does.StartWith("error: ").And.Contain("checksum mismatch"));
        Assert.That(corrupt.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [TestCase("--digits")]
    [TestCase("--image-size")]
    [TestCase("--dataset")]
    [TestCase("--epochs")]
    public void HugeAndBinaryArgumentsAreCutInTheErrorLine(string option)
    {
        using var folder = new TemporaryFolder();
        string value = string.Concat(Enumerable.Repeat("9\u0001\n", 70_000));
        string[] dataset = option == "--dataset" ? [] : ["--dataset", "shapes"];
        var result = Run([.. dataset, option, value, "--out", folder.File("run")]);
        TestContext.Out.WriteLine(result.Error);
        Assert.That(result.Code, Is.AnyOf(ExitCodes.UserError, ExitCodes.UsageError));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error.Length, Is.LessThan(UserErrors.MaxLine + 100));
        Assert.That(result.Error, Does.Contain("210,000 characters").Or.Contain("message cut"));
    }

    [Test]
    public void ACheckpointThatIsAFolderIsCalledAFolder()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, RunFiles.Checkpoint));
        var result = Run(["export", "--checkpoint", Path.Combine(folder.Path, RunFiles.Checkpoint), "--out", folder.File("out")]);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(result.Error, Does.Contain("holds no checkpoint.bin"), "a folder is taken as a run folder");
        var resumed = Run(["--resume", folder.Path]);
        Assert.That(resumed.Error, Does.Contain($"{Path.Combine(folder.Path, RunFiles.Checkpoint)} is a folder, not a checkpoint file"));
    }

    [Test]
    public void HelpDescribesTheOptions()
    {
        var result = Run(["--help"]);
        Assert.That(result.Code, Is.EqualTo(0));
        foreach (string option in new[] { "--arch", "--latent", "--likelihood", "--beta", "--kl-warmup", "--lr", "--batch", "--epochs", "--seed", "--threads",
            "--data", "--dataset", "--digits", "--binarize", "--train-limit", "--out", "--resume", "train", "evaluate", "export", "bench" })
        {
            Assert.That(result.Output, Does.Contain(option));
        }
    }

    private static (int Code, string Output, string Error) Run(string[] args, StopSignal? stop = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TrainerCli.Run(args, CliContext.ForWriters(output, error, stop));
        return (code, output.ToString(), error.ToString());
    }
}
