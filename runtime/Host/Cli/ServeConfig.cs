// Checks serve's --config file before ASP.NET Core reads it: it must be a file of well-formed JSON whose root is an
// object. The configuration provider's own failure was an InvalidDataException with 25 lines of stack trace and exit
// 70; this gives one line naming the file and the line and column of the fault. It reads JSON the way that provider
// does (comments and trailing commas allowed). Values of the wrong type are found by the options binding (worded
// here: the setting, the value, the file and what is expected) and values out of range by VaeServingOptions.
using System.Text.Json;
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Host.Cli;

public static partial class ServeConfig
{
    private static readonly JsonDocumentOptions AsConfigurationReadsIt = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// The configuration binder's "Failed to convert configuration value 'many' at 'VaeServing:MaxCount' to type
    /// 'System.Int32'." as a line that names where the value came from and what is expected; null for other messages.
    /// </summary>
    public static string? DescribeBindingFailure(string message, string? configFile)
    {
        var match = BindingFailure().Match(message);
        if (!match.Success)
        {
            return null;
        }
        string expected = OptionErrors.Expected(match.Groups["type"].Value);
        string where = configFile is null ? "the configuration (appsettings.json or VaeServing__ environment variables)" : $"{UserText.Path(configFile)} (or appsettings.json, or VaeServing__ environment variables)";
        return $"{UserText.Echo(match.Groups["key"].Value)} is '{UserText.Echo(match.Groups["value"].Value)}' in {where}; it must be {expected}.";
    }

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex BindingFailure();

    /// <summary>Throws a CliUsageException naming <paramref name="option"/>, the file and the position when <paramref name="path"/> is not a JSON object file.</summary>
    public static void Check(string path, string option)
    {
        InputPath.File(path, option, "give a JSON file with a \"VaeServing\" section");
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
