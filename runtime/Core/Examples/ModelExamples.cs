// The example images of a model folder (VaeContract.ExamplesFolderName): PNG files a person can try the model on with
// one click on the service's page. The trainer's export writes one test image per label there, named after the label;
// anyone may add more. Listing is strict and bounded: only names FileNamePattern accepts, at most MaxCount of them,
// each at most MaxFileBytes, in ordinal order, so a listed name is safe to serve by name and nothing else is.
// It does not decode the images (the service answers them as stored and the page sends them to the API like any upload).
using System.Text;
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Runtime.Core.Examples;

/// <summary>One example image of a model folder.</summary>
/// <param name="Name">The file name, e.g. "7.png" (what the service serves it under).</param>
/// <param name="Label">The name without ".png", shown as its caption.</param>
/// <param name="Path">The file's full path.</param>
public sealed record ModelExample(string Name, string Label, string Path);

/// <summary>Lists and writes the example images of a model folder.</summary>
public static partial class ModelExamples
{
    /// <summary>Most examples listed (the first ones in ordinal order of their names).</summary>
    public const int MaxCount = 32;

    /// <summary>Largest example file listed, in bytes; larger files are skipped.</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>The names listed: a letter or digit, then up to 63 letters, digits, '.', '_' or '-', then ".png".</summary>
    public const string FileNamePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\.png$";

    /// <summary>The examples folder of <paramref name="modelFolder"/>.</summary>
    public static string FolderIn(string modelFolder) => Path.Combine(Path.GetFullPath(modelFolder), VaeContract.ExamplesFolderName);

    /// <summary>The examples in <paramref name="modelFolder"/>, in ordinal order of name; empty when the folder has none.</summary>
    public static IReadOnlyList<ModelExample> List(string modelFolder)
    {
        string folder = FolderIn(modelFolder);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "*.png", SearchOption.TopDirectoryOnly)
            .Select(path => new FileInfo(path))
            .Where(file => ValidName().IsMatch(file.Name) && file.Length is > 0 and <= MaxFileBytes && file.LinkTarget is null)
            .OrderBy(file => file.Name, StringComparer.Ordinal)
            .Take(MaxCount)
            .Select(file => new ModelExample(file.Name, file.Name[..^".png".Length], file.FullName))
            .ToArray();
    }

    /// <summary>
    /// The file name for an example labelled <paramref name="label"/>: the label with every character outside
    /// [A-Za-z0-9._-] replaced by '_', cut to 60 characters, plus ".png" ("example.png" when nothing is left).
    /// </summary>
    public static string FileNameFor(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        var name = new StringBuilder();
        foreach (char c in label.Length > 60 ? label[..60] : label)
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        string text = name.ToString().TrimStart('.', '_', '-');
        return (text.Length == 0 ? "example" : text) + ".png";
    }

    /// <summary>Writes each image as examples/<see cref="FileNameFor"/>(label) in <paramref name="modelFolder"/>, atomically; returns the paths.</summary>
    public static IReadOnlyList<string> Write(string modelFolder, IReadOnlyList<(string Label, PixelImage Image)> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        string folder = FolderIn(modelFolder);
        var written = new List<string>();
        foreach (var (label, image) in examples)
        {
            string path = Path.Combine(folder, FileNameFor(label));
            AtomicFile.Write(path, stream => ImageFile.EncodePng(image, stream));
            written.Add(path);
        }
        return written;
    }

    [GeneratedRegex(FileNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
