// The offline GPU check CI runs: every kernel compiled to PTX as for an H100 (ILGPU's PTXBackend, SM_90, PTX ISA 8.4)
// and assembled by NVIDIA's ptxas (CUDA 12.4) for sm_80 and sm_90 through scripts/ptxas-check.sh, which fetches ptxas
// from Debian once into ~/.cache when none is installed. It fails when a kernel does not assemble or a GEMM kernel
// spills registers, and prints each kernel's registers, spills and shared memory.
using System.Diagnostics;
using ILGPU.Runtime.Cuda;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Engine.Backends.Launches;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Launches;

public class PtxasCheckTests
{
    private static string Script => Path.Combine(RepositoryPaths.Root, "scripts", "ptxas-check.sh");

    [Test]
    public void EveryKernelAssemblesWithPtxasAndNoGemmSpills()
    {
        using var folder = new TemporaryFolder();
        using (var compiler = new PtxCompilation(CudaArchitecture.SM_90, CudaInstructionSet.ISA_84))
        {
            foreach (var kernel in KernelCatalog.All)
            {
                File.WriteAllText(Path.Combine(folder.Path, KernelCatalog.NameOf(kernel) + ".ptx"), compiler.Compile(kernel));
            }
        }
        (int exitCode, string output) = Run(folder.Path);
        TestContext.Out.WriteLine(output);
        string[] rows = [.. output.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("kernel\t", StringComparison.Ordinal))];
        Assert.That(rows, Has.Length.EqualTo(2 * KernelCatalog.All.Count), "one line per kernel and architecture");
        Assert.That(rows.Where(r => r.Split('\t')[7] != "ok"), Is.Empty, "kernels that did not assemble");
        Assert.That(rows.Where(r => r.StartsWith("GemmGpu.", StringComparison.Ordinal) && (r.Split('\t')[3] != "0" || r.Split('\t')[4] != "0")), Is.Empty,
            "GEMM kernels that spill registers");
        Assert.That(exitCode, Is.Zero);
    }

    [Test]
    public void ThePtxasCheckFailsOnAKernelThatDoesNotAssemble()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "Broken.ptx"), ".version 8.4\n.target sm_80\n.address_size 64\n.visible .entry Broken() { this is not ptx; }\n");
        (int exitCode, string output) = Run(folder.Path);
        TestContext.Out.WriteLine(output);
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(output, Does.Contain("Broken\tsm_80").And.Contain("FAILED"));
    }

    private static (int ExitCode, string Output) Run(string folder)
    {
        var start = new ProcessStartInfo("bash", [Script, "--arch", "sm_80,sm_90", folder]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("scripts/ptxas-check.sh ran for more than 4 minutes");
        }
        string stderr = error.Result;
        if (process.ExitCode == 3)
        {
            Assert.Fail($"scripts/ptxas-check.sh could not get ptxas (exit 3): {stderr}");
        }
        return (process.ExitCode, output + stderr);
    }
}
