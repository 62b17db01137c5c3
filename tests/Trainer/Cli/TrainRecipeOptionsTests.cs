// The binarized-MNIST recipe's options on the command line, in-process: a resconv run with --objective iwae and a
// cosine schedule records every setting in config.json and says them in its header; --init-from starts a second phase
// from the first phase's weights (the first step's input weights are the checkpoint's, the provenance is recorded)
// and refuses a checkpoint of another network in one line, with no run folder; bad values are one-line errors.
using System.Security.Cryptography;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Cli;
using VaeOnnx.Trainer.Engine.Optim;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Trainer.Cli;

public sealed class TrainRecipeOptionsTests
{
    private static readonly string[] Tiny = ["--dataset", "shapes", "--image-size", "16", "--train-limit", "64", "--test-limit", "16", "--batch", "32",
        "--seed", "5", "--binarize", "dynamic"];

    private static readonly string[] Recipe = ["--arch", "resconv", "--res-blocks", "1", "--conv-channels", "4", "--latent", "3"];

    [Test]
    public void TheRecipeRunsAndRecordsItsSettingsAndASecondPhaseStartsFromItsWeights()
    {
        using var folder = new TemporaryFolder();
        string first = folder.File("elbo"), second = folder.File("iwae");
        var elbo = Run([.. Tiny, .. Recipe, "--epochs", "1", "--lr-schedule", "cosine", "--lr-final", "1e-5", "--out", first]);
        Assert.That(elbo.Code, Is.EqualTo(0), elbo.Error);
        Assert.That(elbo.Output, Does.Contain("resconv 1x16x16 -> 4@8x8 + 1 residual blocks -> latent 3"));
        Assert.That(elbo.Output, Does.Contain("ELBO, Adam lr 0.001 (cosine to 1E-05 over 1 epochs)"));

        var iwae = Run([.. Tiny, .. Recipe, "--epochs", "1", "--objective", "iwae", "--train-samples", "3", "--lr", "3e-4", "--init-from", first, "--out", second]);
        Assert.That(iwae.Code, Is.EqualTo(0), iwae.Error);
        TestContext.Out.WriteLine(iwae.Output);
        Assert.That(iwae.Output, Does.Contain("IWAE bound, K = 3"));
        Assert.That(iwae.Output, Does.Contain($"starting from the weights of {first}"));

        TrainingConfig config = TrainingConfig.FromJson(File.ReadAllText(Path.Combine(second, RunFiles.Config)), "config.json");
        string checkpointFile = Path.Combine(first, RunFiles.Checkpoint);
        Assert.That((config.Architecture, config.ResidualBlocks, config.ConvChannels, config.Objective, config.TrainSamples, config.InitFrom, config.InitFromSha256),
            Is.EqualTo((VaeKind.Resconv, (int?)1, (int?)4, TrainingObjective.Iwae, 3, first,
                Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(checkpointFile))))));
        TrainingConfig firstConfig = TrainingConfig.FromJson(File.ReadAllText(Path.Combine(first, RunFiles.Config)), "config.json");
        Assert.That((firstConfig.LearningRateSchedule, firstConfig.FinalLearningRate, firstConfig.LearningRateScheduleEpochs),
            Is.EqualTo((LearningRateScheduleKind.Cosine, 1e-5, (int?)1)));

        // The second phase moved away from the first phase's weights, by about one epoch of small steps.
        TrainingCheckpoint a = TrainingCheckpoint.Load(checkpointFile), b = TrainingCheckpoint.Load(Path.Combine(second, RunFiles.Checkpoint));
        Assert.That(b.Optimizer.StepCount, Is.EqualTo(2), "a fresh optimizer: 2 steps of 32 images");
        for (int i = 0; i < a.Network.Parameters.Count; i++)
        {
            float[] before = a.Network.Parameters[i].Value.Span.ToArray(), after = b.Network.Parameters[i].Value.Span.ToArray();
            double moved = before.Zip(after, (x, y) => Math.Abs(x - y)).Max();
            Assert.That(moved, Is.GreaterThan(0).And.LessThanOrEqualTo(2 * 3e-4 * 1.01), $"{a.Network.Parameters[i].Name}: two Adam steps of lr 3e-4 from the checkpoint");
        }
    }

    [TestCase(new[] { "--arch", "conv", "--latent", "3" }, "--init-from holds a resconv")]
    [TestCase(new[] { "--arch", "resconv", "--res-blocks", "2", "--conv-channels", "4", "--latent", "3" }, "+ 2 residual blocks")]
    [TestCase(new[] { "--arch", "resconv", "--res-blocks", "1", "--conv-channels", "4", "--latent", "5" }, "latent 5")]
    public void AnotherNetworksCheckpointIsRefusedInOneLine(string[] network, string fragment)
    {
        using var folder = new TemporaryFolder();
        string first = folder.File("first"), second = folder.File("second");
        Assert.That(Run([.. Tiny, .. Recipe, "--epochs", "1", "--out", first]).Code, Is.EqualTo(0));
        var result = Run([.. Tiny, .. network, "--epochs", "1", "--init-from", first, "--out", second]);

        TestContext.Out.WriteLine(result.Error);
        Assert.That(result.Code, Is.EqualTo(ExitCodes.UserError));
        Assert.That(result.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(result.Error, Does.StartWith("error: --init-from holds a").And.Contain(fragment));
        Assert.That(Directory.Exists(second) && Directory.EnumerateFileSystemEntries(second).Any(), Is.False, "no run folder left behind");
    }

    [TestCase(new[] { "--objective", "vae" }, ExitCodes.UsageError, "'vae' not recognized. Must be one of: 'elbo' 'iwae'")]
    [TestCase(new[] { "--lr-schedule", "step" }, ExitCodes.UsageError, "'step' not recognized. Must be one of: 'constant' 'cosine'")]
    [TestCase(new[] { "--arch", "resnet" }, ExitCodes.UsageError, "'resnet' not recognized")]
    [TestCase(new[] { "--train-samples", "5" }, ExitCodes.UserError, "--train-samples 5 is not usable; it must be 1 with --objective elbo")]
    [TestCase(new[] { "--objective", "iwae", "--train-samples", "2000" }, ExitCodes.UserError, "--train-samples 2000 is not usable; it must be between 1 and 1024")]
    [TestCase(new[] { "--res-blocks", "2" }, ExitCodes.UserError, "--res-blocks 2 is not usable; it must be between 1 and 16, with --arch resconv")]
    [TestCase(new[] { "--arch", "mlp", "--conv-channels", "8" }, ExitCodes.UserError, "--conv-channels 8 is not usable")]
    [TestCase(new[] { "--lr-final", "1e-5" }, ExitCodes.UserError, "--lr-final 1E-05 is not usable; it must be between 0 and --lr 0.001, with --lr-schedule cosine")]
    [TestCase(new[] { "--init-from", "MISSING" }, ExitCodes.UserError, "does not exist")]
    [TestCase(new[] { "--resume", "MISSING", "--init-from", "MISSING" }, ExitCodes.UserError, "--init-from cannot be changed when resuming")]
    public void BadValuesAreOneLineErrors(string[] args, int code, string fragment)
    {
        using var folder = new TemporaryFolder();
        string run = folder.File("run");
        string[] arguments = [.. Tiny, .. args.Select(a => a.Replace("MISSING", folder.File("missing"))), .. args.Contains("--resume") ? [] : new[] { "--out", run }];
        if (args.Contains("--resume"))
        {
            arguments = [.. args.Select(a => a.Replace("MISSING", folder.File("missing")))];
        }

        var result = Run(arguments);

        TestContext.Out.WriteLine(result.Error);
        Assert.That(result.Code, Is.EqualTo(code));
        Assert.That(result.Error, Does.Contain(fragment));
        Assert.That(Directory.Exists(run), Is.False, "no run folder");
    }

    private static (int Code, string Output, string Error) Run(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = TrainerCli.Run(args, CliContext.ForWriters(output, error));
        return (code, output.ToString(), error.ToString());
    }
}
