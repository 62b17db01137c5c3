// The one way VaeOnnx writes a file: into a temporary name in the same folder, flushed to disk (fsync), optionally
// checked (a digest, a parse) while still under that name, renamed over the target, then the folder itself flushed
// (on Unix), so a crash, Ctrl+C, a full disk or a failed check never leaves a half-written or unchecked file and an
// existing file is replaced only by a complete one. Used by the runtime and the trainer; onnx-builder writes only to
// streams, so its callers save models through here too. It does not lock against concurrent writers of the same path
// (the last rename wins, each file whole), and it does not replace several files as one (a folder of them is not
// atomic: ModelExport stages, checks, then moves each file with Replace). Errors name the target, never the
// temporary name (which the user never gave and cannot find).
using System.Runtime.InteropServices;

namespace VaeOnnx.Runtime.Core.IO;

/// <summary>Writes files so that a crash, a full disk or a failed check never leaves a half-written one: a temporary name in the same folder, fsync, rename, fsync of the folder.</summary>
public static partial class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically; creates the folder if needed.</summary>
    /// <param name="path">The file to write or replace.</param>
    /// <param name="write">Writes the whole content; whatever it throws abandons the write (the target is untouched).</param>
    /// <param name="verify">
    /// Called with the temporary file's path once the content is complete and on disk, before the rename; it throws to
    /// refuse the content, which deletes the temporary and leaves the target untouched. Null: no check.
    /// </param>
    public static void Write(string path, Action<Stream> write, Action<string>? verify = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        // At most 64 characters of the name: a target of a long but valid name must not fail for its temporary's length.
        string name = Path.GetFileName(fullPath);
        string temporary = Path.Combine(folder, $".{name[..Math.Min(name.Length, 64)]}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            verify?.Invoke(temporary);
            Replace(temporary, fullPath);
        }
        catch (UnauthorizedAccessException e) when (e.Message.Contains(temporary, StringComparison.Ordinal))
        {
            // The temporary name is ours, not the user's: the failure is writing the target (a folder without write permission).
            throw new UnauthorizedAccessException($"Cannot write {fullPath}: permission to create files in {folder} is denied.", e);
        }
        catch (IOException e) when (e.Message.Contains(temporary, StringComparison.Ordinal))
        {
            string reason = e.Message.Replace($"'{temporary}'", "", StringComparison.Ordinal).Replace(temporary, "", StringComparison.Ordinal);
            reason = string.Join(' ', reason.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Trim().TrimEnd('.', ':', ' ');
            throw new IOException($"Cannot write {fullPath} ({reason}); choose a folder where files can be created.", e);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// Renames the complete, flushed file <paramref name="source"/> over <paramref name="destination"/> (same file
    /// system) and makes the rename durable. For content already written and checked under another name.
    /// </summary>
    public static void Replace(string source, string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        string fullPath = Path.GetFullPath(destination);
        File.Move(source, fullPath, overwrite: true);
        FlushFolder(Path.GetDirectoryName(fullPath)!);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically (see <see cref="Write"/>).</summary>
    /// <param name="path">The file to write or replace.</param>
    /// <param name="bytes">The whole content.</param>
    public static void WriteAllBytes(string path, ReadOnlyMemory<byte> bytes) => Write(path, stream => stream.Write(bytes.Span));

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> as UTF-8 without a byte-order mark, atomically.</summary>
    /// <param name="path">The file to write or replace.</param>
    /// <param name="text">The whole content.</param>
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
