// The libcuda.so.1 fallback, checked without a GPU: a stub driver library (compiled here from C, into a temporary
// folder, never committed) that exists only as libcuda.so.1 and reports one device. A fresh trainer process with that
// folder on LD_LIBRARY_PATH must load it twice, once for the trainer's own probe and once for ILGPU (which asks .NET for
// "cuda", i.e. libcuda.so, and gets libcuda.so.1 only through CudaDriver's fallback), then fail with the one line that
// ILGPU could use none of the reported devices (the stub has no device functions), exit 1 and no run folder.
// Skipped where no C compiler is installed.
using System.Diagnostics;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Trainer.Engine.Devices;

public sealed class CudaDriverStubTests
{
    private const string Stub = """
        #include <stdio.h>
        int cuInit(unsigned int flags) { fprintf(stderr, "stub-cuInit\n"); return 0; }
        int cuDriverGetVersion(int *version) { *version = 12080; return 0; }
        int cuDeviceGetCount(int *count) { *count = 1; return 0; }
        """;

    [Test]
    public void OnlyLibcudaSo1IsFoundByTheProbeAndByIlgpu()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("libcuda.so.1 is the Linux driver's name");
        }
        string? compiler = new[] { "/usr/bin/cc", "/usr/bin/gcc" }.FirstOrDefault(File.Exists);
        if (compiler is null)
        {
            Assert.Ignore("no C compiler to build the stub driver");
        }
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("stub.c"), Stub);
        var build = Start(compiler, ["-shared", "-fPIC", "-o", folder.File("libcuda.so.1"), folder.File("stub.c")], null);
        Assert.That(build.Code, Is.Zero, build.Error);

        string run = folder.File("run");
        var result = Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "VaeOnnx.Trainer.dll"), "--device", "cuda", "--out", run], folder.Path);

        string[] lines = result.Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines.Count(l => l == "stub-cuInit"), Is.EqualTo(2), "the stub is initialised by the probe and by ILGPU");
        Assert.That(lines.Where(l => l != "stub-cuInit"), Is.EqualTo(new[]
        {
            "error: CUDA was requested (--device cuda) but ILGPU 1.5.3 supports none of the 1 CUDA device(s) the driver reports " +
            "(driver CUDA 12.8; see 'devices' for their compute capability); use --device cpu.",
        }));
        Assert.That(result.Code, Is.EqualTo(1));
        Assert.That(Directory.Exists(run), Is.False, "no run folder");
    }

    private static (int Code, string Error) Start(string program, string[] args, string? libraryPath)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        if (libraryPath is not null)
        {
            start.Environment["LD_LIBRARY_PATH"] = libraryPath;
        }
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not finish within 120 s.");
        }
        TestContext.Out.WriteLine($"$ {program} {string.Join(' ', args)} -> {process.ExitCode}\n{output.Result}{error}");
        return (process.ExitCode, error);
    }
}
