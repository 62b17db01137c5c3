// AtomicFile: a complete write replaces the target; a writer that fails midway, or a verify callback that refuses
// the content, leaves the existing target byte for byte and no temporary file in the folder; verify sees the whole
// content on disk under the temporary name, never the target. The reference is the bytes the test wrote itself.
using VaeOnnx.Runtime.Core.IO;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Runtime.Core.IO;

public sealed class AtomicFileTests
{
    private static readonly byte[] Old = [1, 2, 3, 4, 5];
    private static readonly byte[] New = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31)).ToArray();

    [Test]
    public void AFailureToCreateTheFileNamesTheTargetNotTheTemporary()
    {
        // /proc takes no new files (not even from root): creating the temporary fails, and the message must name what
        // the user asked for. It used to quote ".x.png.1234.<guid>.tmp", a path the user never gave and cannot find.
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllBytes("/proc/vaeonnx-test.png", Old));

        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.Message, Does.StartWith("Cannot write /proc/vaeonnx-test.png").And.Not.Contain(".tmp"));
    }

    [Test]
    public void ALongButValidNameIsWrittenDespiteItsTemporary()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File(new string('n', 240) + ".png");

        AtomicFile.WriteAllBytes(path, New);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(New));
    }

    [Test]
    public void ACompleteWriteReplacesTheTargetAndCreatesTheFolder()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "sub", "file.bin");
        AtomicFile.WriteAllBytes(path, Old);
        AtomicFile.Write(path, stream => stream.Write(New));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(New));
        Assert.That(Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void AWriterFailingMidwayKeepsTheOldFileAndLeavesNoTemporary()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("file.bin");
        AtomicFile.WriteAllBytes(path, Old);

        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => new FailingStream(stream, 40_000).Write(New)));

        Assert.That(e!.Message, Is.EqualTo(FailingStream.Message));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Old));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EqualTo(new[] { path }), "no temporary file may be left behind");
    }

    [Test]
    public void AWriterFailingMidwayCreatesNoFileWhereNoneWas()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("file.bin");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => new FailingStream(stream, 10).Write(New)));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.Empty);
    }

    [Test]
    public void VerifySeesTheCompleteContentUnderTheTemporaryNameBeforeTheRename()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("file.bin");
        AtomicFile.WriteAllBytes(path, Old);
        string? seen = null;
        byte[]? content = null;
        byte[]? targetDuringVerify = null;

        AtomicFile.Write(path, stream => stream.Write(New), temporary =>
        {
            seen = temporary;
            content = File.ReadAllBytes(temporary);
            targetDuringVerify = File.ReadAllBytes(path);
        });

        Assert.That(Path.GetDirectoryName(seen), Is.EqualTo(folder.Path), "the temporary is in the target's folder (same file system)");
        Assert.That(seen, Is.Not.EqualTo(path));
        Assert.That(content, Is.EqualTo(New));
        Assert.That(targetDuringVerify, Is.EqualTo(Old), "the target is replaced only after verify returns");
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(New));
        Assert.That(File.Exists(seen), Is.False);
    }

    [Test]
    public void AVerifyThatRefusesKeepsTheOldFileAndDeletesTheTemporary()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("file.bin");
        AtomicFile.WriteAllBytes(path, Old);

        var e = Assert.Throws<InvalidDataException>(() =>
            AtomicFile.Write(path, stream => stream.Write(New), _ => throw new InvalidDataException("digest mismatch")));

        Assert.That(e!.Message, Is.EqualTo("digest mismatch"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Old));
        Assert.That(Directory.GetFileSystemEntries(folder.Path), Is.EqualTo(new[] { path }), "no temporary file may be left behind");
    }

    [Test]
    public void ReplaceMovesACompleteFileOverTheTarget()
    {
        using var folder = new TemporaryFolder();
        string staged = folder.File("staged.bin"), path = folder.File("file.bin");
        File.WriteAllBytes(staged, New);
        File.WriteAllBytes(path, Old);
        AtomicFile.Replace(staged, path);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(New));
        Assert.That(File.Exists(staged), Is.False);
    }
}
