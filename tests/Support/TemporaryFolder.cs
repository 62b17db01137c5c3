// A fresh folder under the system temp directory, deleted (with its contents) on Dispose.
namespace VaeOnnx.Tests.Support;

public sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder(string prefix = "vaeonnx-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open on some platform must not fail the test.
        }
    }
}
