// The GPU flavour (-p:OnnxRuntimeFlavor=Gpu: Microsoft.ML.OnnxRuntime.Gpu, a CUDA 13 build) builds, loads a model on
// the CPU, offers the CUDA provider, and, asked for CUDA on a machine without the CUDA libraries, says in one line
// exactly which libraries are missing, with no fallback. Only where those libraries are absent (as on CI).
using VaeOnnx.Runtime.Core.Inference;
using VaeOnnx.Tests.Runtime.Host.Cli;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Deploy;

[TestFixture]
public sealed class GpuFlavourTests
{
    [Test]
    public void The_gpu_build_names_the_missing_cuda_libraries()
    {
        var missing = CudaLibraries.Missing();
        Assume.That(missing, Is.Not.Empty, "this machine has every CUDA library; the message is not reachable here");
        using var work = new TemporaryFolder("vaeonnx-gpu");
        string output = work.File("gpu");
        DotnetCommand.Succeed(work.File("artifacts"), TimeSpan.FromMinutes(5),
            "build", "runtime/Host", "-c", "Release", "-p:OnnxRuntimeFlavor=Gpu", "-o", output, "-nologo");
        string model = Path.Combine(RepositoryPaths.Root, "models", "mnist-conv");
        var noLibraryPath = new Dictionary<string, string?> { ["LD_LIBRARY_PATH"] = null };

        var info = CliRunner.RunProcess(noLibraryPath, output, "info", "--model", model);
        Assert.That(info.ExitCode, Is.Zero, info.Error);
        Assert.That(info.Output, Does.Contain("CUDAExecutionProvider"), "the GPU package's library offers CUDA");

        var cuda = CliRunner.RunProcess(noLibraryPath, output, "sample", "--model", model, "--provider", "cuda", "--device-id", "0",
            "--out", work.File("never.png"));
        cuda.AssertOneLineError(["CUDA", "device 0", "missing", .. missing]);
        Assert.That(File.Exists(work.File("never.png")), Is.False);
    }
}
