// The vaeonnx-runtime tool taken as a user takes it: `dotnet tool install --tool-path` from the feed (no repository
// source, no project), then the installed command samples the same picture as the repository's CLI, with the ONNX
// Runtime native library the package carries.
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Runtime.Host.Cli;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Packaging;

[TestFixture]
public sealed class ToolPackageTests
{
    [Test]
    public void The_installed_tool_samples_what_the_repository_cli_samples()
    {
        var feed = PackageFeed.Feed;
        using var work = new TemporaryFolder("vaeonnx-tool");
        File.WriteAllText(work.File("nuget.config"), ConsumerWorkspace.NuGetConfig(feed.Folder));
        string tools = work.File("tools");
        var (code, output) = DotnetCommand.Run(work.Path, TimeSpan.FromMinutes(3), ConsumerWorkspace.CommandEnvironment,
            "tool", "install", PackageFeed.Tool, "--version", feed.Version, "--tool-path", tools);
        TestContext.Out.WriteLine(output);
        Assert.That(code, Is.Zero, output);

        string model = Path.Combine(RepositoryPaths.Root, "models", "mnist-conv");
        var (sampled, sampleOutput) = ProcessRunner.Run(Path.Combine(tools, PackageFeed.Tool), work.Path, TimeSpan.FromMinutes(1),
            "sample", "--model", model, "--count", "4", "--seed", "3", "--out", "samples.png");
        TestContext.Out.WriteLine(sampleOutput);
        Assert.That(sampled, Is.Zero, sampleOutput);

        string inProcess = work.File("in-process.png");
        CliRunner.Run("sample", "--model", model, "--count", "4", "--seed", "3", "--out", inProcess);
        Assert.That(File.ReadAllBytes(work.File("samples.png")), Is.EqualTo(File.ReadAllBytes(inProcess)));
    }
}
