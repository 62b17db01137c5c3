// Test helper: the base of the CLI test classes that run commands against one small toy model (4 latents, 1 channel,
// 6×5 images) in a temporary folder made once per class and removed after it. Subclasses add their own files.
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Host.Cli;

public abstract class ToyModelFixture
{
    protected TemporaryFolder Folder { get; private set; } = null!;

    /// <summary>The toy model's folder (encoder.onnx, decoder.onnx).</summary>
    protected string Model { get; private set; } = null!;

    [OneTimeSetUp]
    public void WriteToyModel()
    {
        Folder = new TemporaryFolder($"vaeonnx-{GetType().Name}");
        Model = ToyVae.Create(latentSize: 4, channels: 1, height: 6, width: 5, seed: 5).Write(Folder.File("model"));
    }

    [OneTimeTearDown]
    public void RemoveFolder() => Folder.Dispose();
}
