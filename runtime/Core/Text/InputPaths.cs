// The one wording for a path that exists but is the wrong kind: a folder where a file is expected (a checkpoint, an
// IDX file) or a file where a folder is expected (--data, --out). Without it such paths were reported as "does not
// exist" or as missing files, which sends the user looking for the wrong problem. Callers wrap the text in their own
// exception type (DatasetException, CheckpointException, CliUsageException) and add what to do.
namespace VaeOnnx.Runtime.Core.Text;

/// <summary>The one wording for a path that exists but is the wrong kind (a folder where a file is read, or the reverse).</summary>
public static class InputPaths
{
    /// <summary>"PATH is a folder, not WHAT" when <paramref name="path"/> is a folder; null otherwise.</summary>
    public static string? FolderInsteadOfFile(string path, string what) =>
        Directory.Exists(path) ? $"{UserText.Path(path)} is a folder, not {what}" : null;

    /// <summary>"PATH is a file, not WHAT" when <paramref name="path"/> is a file; null otherwise.</summary>
    public static string? FileInsteadOfFolder(string path, string what) =>
        File.Exists(path) ? $"{UserText.Path(path)} is a file, not {what}" : null;
}
