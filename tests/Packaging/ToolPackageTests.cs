// The two .NET tools taken as a user takes them: `dotnet tool install --tool-path` from the feed (no repository
// source, no project). The installed vaeonnx-runtime samples the same picture as the repository's CLI, with the ONNX
// Runtime native library its package carries; the installed vaeonnx-trainer trains a small model whose graphs the
// installed vaeonnx-runtime then samples from.
using VaeOnnx.Tests.Runtime.Host.Cli;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Packaging;

[TestFixture]
public sealed class ToolPackageTests
{
    private TemporaryFolder _work = null!;

    private string Tools => _work.File("tools");

    [OneTimeSetUp]
    public void InstallTools()
    {
        var feed = PackageFeed.Feed;
        _work = new TemporaryFolder("vaeonnx-tools");
        File.WriteAllText(_work.File("nuget.config"), ConsumerWorkspace.NuGetConfig(feed.Folder));
        foreach (string tool in new[] { PackageFeed.Tool, PackageFeed.Trainer })
        {
            var (code, output) = DotnetCommand.Run(_work.Path, TimeSpan.FromMinutes(3), ConsumerWorkspace.CommandEnvironment,
                "tool", "install", tool, "--version", feed.Version, "--tool-path", Tools);
            TestContext.Out.WriteLine(output);
            Assert.That(code, Is.Zero, output);
        }
    }

    [OneTimeTearDown]
    public void DeleteTools() => _work?.Dispose();

    private (int ExitCode, string Output) Installed(string tool, params string[] args)
    {
        var result = ProcessRunner.Run(Path.Combine(Tools, tool), _work.Path, TimeSpan.FromMinutes(2), args);
        TestContext.Out.WriteLine($"{tool} {string.Join(' ', args)} -> {result.ExitCode}\n{result.Output}");
        return result;
    }

    [Test]
    public void The_installed_runtime_tool_samples_what_the_repository_cli_samples()
    {
        string model = Path.Combine(RepositoryPaths.Root, "models", "mnist-conv");
        var (code, output) = Installed(PackageFeed.Tool, "sample", "--model", model, "--count", "4", "--seed", "3", "--out", "samples.png");
        Assert.That(code, Is.Zero, output);

        string inProcess = _work.File("in-process.png");
        CliRunner.Run("sample", "--model", model, "--count", "4", "--seed", "3", "--out", inProcess);
        Assert.That(File.ReadAllBytes(_work.File("samples.png")), Is.EqualTo(File.ReadAllBytes(inProcess)));
    }

    [Test]
    public void The_installed_trainer_trains_a_model_the_installed_runtime_samples()
    {
        var (trained, trainOutput) = Installed(PackageFeed.Trainer, "--dataset", "shapes", "--arch", "mlp", "--latent", "2", "--hidden", "32",
            "--epochs", "1", "--train-limit", "256", "--test-limit", "64", "--threads", "1", "--device", "cpu", "--out", "run");
        Assert.That(trained, Is.Zero, trainOutput);
        Assert.That(File.Exists(_work.File(Path.Combine("run", "encoder.onnx"))) && File.Exists(_work.File(Path.Combine("run", "decoder.onnx"))), Is.True);

        var (sampled, sampleOutput) = Installed(PackageFeed.Tool, "sample", "--model", "run", "--count", "4", "--out", "from-trainer.png");
        Assert.That(sampled, Is.Zero, sampleOutput);
        Assert.That(new FileInfo(_work.File("from-trainer.png")).Length, Is.GreaterThan(0));
    }
}
