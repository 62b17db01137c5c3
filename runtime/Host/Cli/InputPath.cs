// The one check of a path option the CLI reads from (--z, --config, --model, the image options): a folder given where
// a file is read, or a file where a folder is read, is called what it is (InputPaths), a missing path is said to be
// missing, and both say what the option expects. Paths are echoed capped (UserText). It does not open anything.
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public static class InputPath
{
    /// <summary>Returns <paramref name="path"/> when it is a file; otherwise throws a CliUsageException "OPTION PATH is a folder, not a file; EXPECTED."</summary>
    public static string File(string path, string option, string expected)
    {
        if (InputPaths.FolderInsteadOfFile(path, "a file") is string folder)
        {
            throw new CliUsageException($"{option} {folder}; {expected}.");
        }
        return System.IO.File.Exists(path) ? path : throw new CliUsageException($"{option} {UserText.Path(path)} does not exist; {expected}.");
    }

    /// <summary>Returns <paramref name="path"/> when it is a folder; otherwise throws a CliUsageException "OPTION PATH is a file, not a folder; EXPECTED."</summary>
    public static string Folder(string path, string option, string expected)
    {
        if (InputPaths.FileInsteadOfFolder(path, "a folder") is string file)
        {
            throw new CliUsageException($"{option} {file}; {expected}.");
        }
        return Directory.Exists(path) ? path : throw new CliUsageException($"{option} {UserText.Path(path)} does not exist; {expected}.");
    }
}
