// Reads the image files a command is given into one (N, C, H, W) float batch in [0, 1] for the model: each file's
// bytes are read bounded (ImageFile.ReadBytes) and admitted by ImageAdmission (format, structure, header, first frame,
// EXIF orientation), then converted with the strict size/channel rules of ImageConversion. Without --resize an image
// of another size than the model's is refused from its header, before its pixels are decoded. --grey converts colour
// to grey; nothing else changes the pixels. Every error names the file; a file of several frames gets a note.
using System.CommandLine;
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Text;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.Host.Cli;

public static class ImageInputs
{
    /// <summary>The --in option: one or more image files (`--in a.png b.jpg` or `--in a.png --in b.png`).</summary>
    public static Option<string[]> CreateOption() => new("--in", "-i")
    {
        Description = "Image files (PNG, JPEG, BMP, GIF, TGA, WebP, TIFF, PBM/PGM/PPM) of the model's size, or any size with --resize.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
        HelpName = "FILE",
    };

    /// <summary>--resize: scale each input to the model's H×W with the named resampler.</summary>
    public static Option<string?> CreateResizeOption() => new("--resize")
    {
        Description = $"Scale inputs to the model's H×W with this resampler ({string.Join(", ", ImageReadOptions.ResamplerNames)}); without it sizes must match.",
        HelpName = "RESAMPLER",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>--grey: convert colour inputs to grey (BT.709 luminance).</summary>
    public static Option<bool> CreateGreyOption() => new("--grey") { Description = "Convert colour inputs to grey (BT.709 luminance) before the model sees them." };

    /// <summary>The read options from --resize and --grey (either may be absent from the command).</summary>
    public static ImageReadOptions ReadOptions(ParseResult parseResult, Option<string?>? resize, Option<bool>? grey, VaeMetadata metadata)
    {
        var options = new ImageReadOptions { Grey = grey is not null && parseResult.GetValue(grey) };
        if (resize is not null && parseResult.GetResult(resize) is not null)
        {
            var name = parseResult.GetValue(resize) ?? "bicubic";
            if (!ImageReadOptions.ResamplerNames.Contains(name.Trim().ToLowerInvariant()))
            {
                throw new CliUsageException($"--resize {UserText.Echo(name)}: unknown resampler; use one of {string.Join(", ", ImageReadOptions.ResamplerNames)}.");
            }
            options = options with { Resize = (metadata.Height, metadata.Width), Resampler = name };
        }
        return options;
    }

    /// <summary>
    /// The images as the model's (N, C, H, W) input. Notes (a file of several frames) go to <paramref name="notes"/>
    /// when given. Throws CliUsageException for a missing path, InvalidImageException or ImageMismatchException for a file.
    /// </summary>
    public static float[] Load(IReadOnlyList<string> paths, VaeMetadata metadata, ImageReadOptions? read = null, TextWriter? notes = null)
    {
        read ??= new ImageReadOptions();
        if (paths.Count == 0)
        {
            throw new CliUsageException("No input images given; pass one or more image files with --in.");
        }
        if (paths.Count > VaeModel.MaxCount)
        {
            throw new CliUsageException($"{paths.Count} input images; one call takes at most {VaeModel.MaxCount}.");
        }
        var images = new List<(PixelImage Image, string Name)>(paths.Count);
        foreach (var path in paths)
        {
            if (InputPaths.FolderInsteadOfFile(path, "an image file") is string folder)
            {
                throw new CliUsageException($"{folder}; give image files here (score and calibrate also take folders of images).");
            }
            if (!File.Exists(path))
            {
                throw new CliUsageException($"input image {UserText.Path(path)} does not exist.");
            }
            var admitted = ImageAdmission.Admit(ImageFile.ReadBytes(path), UserText.Path(path), read, (metadata.Height, metadata.Width), ResizeAdvice);
            if (admitted.Header.Note is { } note)
            {
                notes?.WriteLine($"note: {note}");
            }
            images.Add((admitted.Image, UserText.Path(Path.GetFileName(path))));
        }
        return ImageConversion.ToPlanarBatch(images, metadata.Channels, metadata.Height, metadata.Width);
    }

    /// <summary>What a user of these commands does about an image of another size.</summary>
    public const string ResizeAdvice = "Pass --resize to scale it.";
}
