// The one way VaeOnnx writes a file: into a temporary name in the same folder, flushed to disk (fsync), renamed
// over the target, then the folder itself flushed (on Unix), so a crash, Ctrl+C or a full disk never leaves a
// half-written file and an existing file is replaced only by a complete one. Used by the runtime and the trainer.
// It does not lock against concurrent writers of the same path (the last rename wins, each file whole).
using System.Runtime.InteropServices;

namespace VaeOnnx.Runtime.Core.IO;

public static partial class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
            FlushFolder(folder);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public static void WriteAllBytes(string path, ReadOnlyMemory<byte> bytes) => Write(path, stream => stream.Write(bytes.Span));

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });

    // Makes the rename itself durable: fsync on the folder. Windows has no folder handle to flush; NTFS journals renames.
    private static void FlushFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        // .NET opens no folder handles, so this is the C library's open/fsync/close. A file system that refuses
        // (some network mounts) leaves only the rename's durability to it; the file's own data is already on disk.
        int fd = Open(folder, 0 /* O_RDONLY */);
        if (fd >= 0)
        {
            _ = FSync(fd);
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
