// Expands the --in arguments of the scoring commands into PNG file paths: a file stands for itself, a folder for the
// *.png files directly inside it (sorted by name, ordinal), so a whole reference set is given as one folder.
// Every path is checked before any work starts. It deliberately does not recurse into sub-folders.
namespace VaeOnnx.Runtime.Host.Cli;

public static class ImageFiles
{
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            throw new CliUsageException("No input images given; pass PNG files or folders of PNG files with --in.");
        }
        var files = new List<string>();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var found = Directory.EnumerateFiles(argument)
                    .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                if (found.Length == 0)
                {
                    throw new CliUsageException($"input folder '{argument}' holds no .png files.");
                }
                files.AddRange(found);
            }
            else if (File.Exists(argument))
            {
                files.Add(argument);
            }
            else
            {
                throw new CliUsageException($"input '{argument}' does not exist; pass PNG files or folders of PNG files.");
            }
        }
        return files;
    }
}
