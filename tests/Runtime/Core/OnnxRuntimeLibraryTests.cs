// Loading the native library: what was loaded, and the messages for a LibraryPath that does not exist or is not a
// shared library. (A bad VAEONNX_ORT_LIBRARY is read only at a process's first load, so the CLI tests check it in a
// child process.)
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Support;

using VaeOnnx.Runtime.Core.Inference;

namespace VaeOnnx.Tests.Runtime.Core;

public sealed class OnnxRuntimeLibraryTests
{
    [Test]
    public void The_library_beside_the_assembly_is_onnx_runtime_1_30()
    {
        OnnxRuntimeLibrary.Load();

        TestContext.Out.WriteLine($"ONNX Runtime {OnnxRuntimeLibrary.Version} from {OnnxRuntimeLibrary.LoadedFrom}");
        Assert.That(OnnxRuntimeLibrary.Version, Is.EqualTo("1.30.0"));
        Assert.That(OnnxRuntimeLibrary.AvailableProviders(), Does.Contain("CPUExecutionProvider"));
    }

    [Test]
    public void A_library_path_that_does_not_exist_says_what_to_do()
    {
        var error = Assert.Throws<DllNotFoundException>(() => OnnxRuntimeLibrary.Load("/nonexistent/libonnxruntime.so"));

        TestContext.Out.WriteLine(error!.Message);
        Assert.That(error.Message, Does.Contain("'/nonexistent/libonnxruntime.so', which does not exist").And.Contain("libonnxruntime.so"));
    }

    [Test]
    public void A_library_path_that_is_not_a_shared_library_says_why_it_did_not_load()
    {
        using var folder = new TemporaryFolder();
        var fake = folder.File("libonnxruntime.so");
        File.WriteAllText(fake, "not an ELF file");

        var error = Assert.Throws<DllNotFoundException>(() => OnnxRuntimeLibrary.Load(fake));

        TestContext.Out.WriteLine(error!.Message);
        Assert.That(error.Message, Does.Contain("could not be loaded").And.Contain(fake));
    }
}
