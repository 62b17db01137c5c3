// Reads the PNG files a command is given into one (N, C, H, W) float batch in [0, 1] for the model, with the
// strict size/channel rules of ImageConversion. Every error names the file.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Runtime.Host.Cli;

public static class ImageInputs
{
    /// <summary>The --in option: one or more PNG files (`--in a.png b.png` or `--in a.png --in b.png`).</summary>
    public static Option<string[]> CreateOption() => new("--in", "-i")
    {
        Description = "PNG images of the model's size and channels.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
        HelpName = "FILE",
    };

    public static float[] Load(IReadOnlyList<string> paths, VaeMetadata metadata)
    {
        if (paths.Count == 0)
        {
            throw new CliUsageException("No input images given; pass one or more PNG files with --in.");
        }
        if (paths.Count > VaeModel.MaxCount)
        {
            throw new CliUsageException($"{paths.Count} input images; one call takes at most {VaeModel.MaxCount}.");
        }
        var images = new List<(PixelImage Image, string Name)>(paths.Count);
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                throw new CliUsageException($"input image '{path}' does not exist.");
            }
            images.Add((Png.Read(path), Path.GetFileName(path)));
        }
        return ImageConversion.ToPlanarBatch(images, metadata.Channels, metadata.Height, metadata.Width);
    }
}
