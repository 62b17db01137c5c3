// Expands the --in arguments of the scoring commands into image file paths: a file stands for itself, a folder for the
// image files (ImageFile.Extensions) directly inside it (sorted by name, ordinal), so a whole reference set is given as one folder.
// Every path is checked before any work starts. It deliberately does not recurse into sub-folders.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public static class ImageFiles
{
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            throw new CliUsageException("No input images given; pass image files or folders of image files with --in.");
        }
        var files = new List<string>();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var found = Directory.EnumerateFiles(argument)
                    .Where(f => Core.Imaging.ImageFile.Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                if (found.Length == 0)
                {
                    throw new CliUsageException($"input folder {UserText.Path(argument)} holds no image files ({string.Join(", ", Core.Imaging.ImageFile.Extensions)}).");
                }
                files.AddRange(found);
            }
            else if (File.Exists(argument))
            {
                files.Add(argument);
            }
            else
            {
                throw new CliUsageException($"input {UserText.Path(argument)} does not exist; pass image files or folders of image files.");
            }
        }
        return files;
    }
}
