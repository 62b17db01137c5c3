// The linux-x64 framework-dependent publish of the host runs `sample` from a folder holding nothing but the publish
// output and a model folder, and writes the same picture as the in-process CLI. Only on linux-x64 machines.
using System.Diagnostics;
using System.Runtime.InteropServices;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Runtime.Host.Cli;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Deploy;

[TestFixture]
public sealed class PublishTests
{
    [Test]
    public void The_linux_x64_publish_samples_from_a_folder_with_only_itself_and_a_model()
    {
        Assume.That(RuntimeInformation.RuntimeIdentifier, Is.EqualTo("linux-x64"), "the publish is run for this machine's platform");
        using var work = new TemporaryFolder("vaeonnx-publish");
        string deploy = work.File("deploy");
        DotnetCommand.Succeed(work.File("artifacts"), TimeSpan.FromMinutes(5),
            "publish", "runtime/Host", "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", deploy, "-nologo");
        string model = Path.Combine(deploy, "model");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "models", "mnist-conv"), "*.onnx"))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        var start = new ProcessStartInfo(Path.Combine(deploy, "vaeonnx-runtime"))
        {
            WorkingDirectory = deploy,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "sample", "--model", "model", "--count", "4", "--seed", "3", "--out", "samples.png" })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LD_LIBRARY_PATH"] = null;
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, stderr);

        string inProcess = work.File("in-process.png");
        CliRunner.Run("sample", "--model", Path.Combine(RepositoryPaths.Root, "models", "mnist-conv"), "--count", "4", "--seed", "3", "--out", inProcess);
        Assert.That(ImageFile.Read(Path.Combine(deploy, "samples.png")).Pixels, Is.EqualTo(ImageFile.Read(inProcess).Pixels));
    }
}
