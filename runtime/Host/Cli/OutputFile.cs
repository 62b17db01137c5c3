// Writing a command's result file: the folder must exist, and the file appears only complete (written to a
// temporary name in the same folder, then renamed), so a failed command never leaves a partial or empty file and
// never destroys an earlier good one. PNGs go through ImageFile.WritePng, which follows the same rule.
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Text;

using VaeOnnx.Runtime.Core.IO;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public static class OutputFile
{
    /// <summary>Checks before any work is done that <paramref name="path"/> can be written: its folder exists and it is not a folder.</summary>
    public static string Check(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CliUsageException($"{option} needs a file path.");
        }
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new CliUsageException($"{option} {UserText.Path(path)} is a folder; give a file path inside it, such as {UserText.Path(Path.Combine(path, "out.png"))}.");
        }
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new CliUsageException($"{option} {UserText.Path(path)}: folder {UserText.Path(folder)} does not exist; create it first.");
        }
        return full;
    }

    public static void WritePng(PixelImage image, string path) => ImageFile.WritePng(image, path);

    public static void WriteText(string text, string path) => AtomicFile.WriteAllText(path, text);
}
