// The self-contained publish (scripts/publish-runtime.sh --self-contained) and the container image built from it
// (scripts/container-check.sh, with podman, on a Debian minbase standing in for runtime-deps). The publish is made
// once, with its own artifacts folder: `sample` runs from it with no dotnet on PATH and no DOTNET_ROOT, the host's trace
// showing that it uses the runtime inside the folder; then the container check runs on the same publish. Linux x64
// and root only (podman runs rootful here).
using System.Runtime.InteropServices;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Runtime.Host.Cli;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Deploy;

[TestFixture]
public sealed class ContainerImageTests
{
    private const string Publish = "out/runtime/linux-x64-self-contained";
    private TemporaryFolder _artifacts = null!;

    [OneTimeSetUp]
    public void PublishSelfContained()
    {
        Assume.That(RuntimeInformation.RuntimeIdentifier, Is.EqualTo("linux-x64"), "the publish and the image are made for linux-x64");
        _artifacts = new TemporaryFolder("vaeonnx-self-contained");
        var (code, output) = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "scripts", "publish-runtime.sh"), RepositoryPaths.Root, TimeSpan.FromMinutes(6),
            new Dictionary<string, string?> { ["VAEONNX_ARTIFACTS"] = _artifacts.Path }, "--self-contained", "--out", Publish, "linux-x64");
        TestContext.Out.WriteLine(output);
        Assert.That(code, Is.Zero, output);
    }

    [OneTimeTearDown]
    public void DeleteArtifacts() => _artifacts?.Dispose();

    [Test]
    public void The_self_contained_publish_samples_with_no_dotnet_installed()
    {
        string folder = Path.Combine(RepositoryPaths.Root, Publish);
        using var work = new TemporaryFolder("vaeonnx-no-dotnet");
        Directory.CreateDirectory(work.File("bin")); // PATH holds only this empty folder
        var environment = new Dictionary<string, string?>
        {
            ["PATH"] = work.File("bin"),
            ["DOTNET_ROOT"] = null,
            ["DOTNET_ROOT_X64"] = null,
            ["DOTNET_HOST_PATH"] = null,
            ["COREHOST_TRACE"] = "1",
        };
        string model = Path.Combine(RepositoryPaths.Root, "models", "mnist-conv");
        var (code, output) = ProcessRunner.Run(Path.Combine(folder, "vaeonnx-runtime"), work.Path, TimeSpan.FromMinutes(1), environment,
            "sample", "--model", model, "--count", "4", "--seed", "3", "--out", "samples.png");
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain($"Using app-local location [{folder}/] as runtime location."), "the runtime comes from the folder");
        Assert.That(output, Does.Not.Contain("/usr/share/dotnet"), "no installed .NET is looked at");

        string inProcess = work.File("in-process.png");
        CliRunner.Run("sample", "--model", model, "--count", "4", "--seed", "3", "--out", inProcess);
        Assert.That(ImageFile.Read(work.File("samples.png")).Pixels, Is.EqualTo(ImageFile.Read(inProcess).Pixels));
    }

    [Test]
    public void The_container_check_passes()
    {
        Assume.That(Environment.UserName, Is.EqualTo("root"), "podman runs rootful here");
        var (code, output) = ProcessRunner.Run(Path.Combine(RepositoryPaths.Root, "scripts", "container-check.sh"), RepositoryPaths.Root, TimeSpan.FromMinutes(8), "--app", Publish);
        TestContext.Out.WriteLine(output);
        Assert.That(code, Is.Zero, output);
        string[] checks = output.Split('\n').Where(l => l.StartsWith("check: ", StringComparison.Ordinal)).ToArray();
        foreach (string expected in new[] { "/readyz 200", "POST /v1/sample 200 image/png", "GET / 200 text/html", "uid 1654 1654 1654 1654",
                     "root mounted ro", "SIGTERM with a request in flight", "exit code 0 after the drain", "all passed" })
            Assert.That(checks, Has.Some.Contains(expected));
    }
}
