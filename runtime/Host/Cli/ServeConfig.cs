// Checks serve's --config file before ASP.NET Core reads it: it must be a file of well-formed JSON whose root is an
// object. The configuration provider's own failure was an InvalidDataException with 25 lines of stack trace and exit
// 70; this gives one line naming the file and the line and column of the fault. It reads JSON the way that provider
// does (comments and trailing commas allowed). Values of the wrong type are left to the options binding and
// validation (VaeServingOptions), whose errors the command reports in one line.
using System.Text.Json;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Host.Cli;

public static class ServeConfig
{
    private static readonly JsonDocumentOptions AsConfigurationReadsIt = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Throws a CliUsageException naming <paramref name="option"/>, the file and the position when <paramref name="path"/> is not a JSON object file.</summary>
    public static void Check(string path, string option)
    {
        if (InputPaths.FolderInsteadOfFile(path, "a file") is string folder)
        {
            throw new CliUsageException($"{option} {folder}; give a JSON file with a \"VaeServing\" section.");
        }
        if (!File.Exists(path))
        {
            throw new CliUsageException($"{option} {UserText.Path(path)} does not exist; give a JSON file with a \"VaeServing\" section.");
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), AsConfigurationReadsIt);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliUsageException(
                    $"{option} {UserText.Path(path)} holds a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}; it must be an object such as {{\"VaeServing\": {{\"MaxCount\": 64}}}}.");
            }
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{option} {UserText.Path(path)} is not valid JSON: {JsonErrors.Describe(e)}; fix the file.");
        }
    }
}
