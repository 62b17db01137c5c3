// The one wording of a command-line parse error, for the runtime CLI and the trainer CLI alike: System.CommandLine's
// "Cannot parse argument 'abc' for option '--steps' as expected type 'System.Int32'." becomes "--steps 'abc' is not a
// whole number (-2147483648 to 2147483647).", every quoted token is cut as every echo is (UserText), and no .NET type
// name is ever printed (the parser's other messages are already plain words). What a .NET type means to a user
// (Expected) is also what the service's configuration errors say. It formats; the CLIs print.
using System.Globalization;
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Core.Errors;

/// <summary>Parse errors of the command lines, worded for their users.</summary>
public static partial class OptionErrors
{
    /// <summary>System.CommandLine's message for the first parse error, as one line without type names.</summary>
    /// <param name="parserMessage">The parser's message (ParseResult.Errors[0].Message).</param>
    public static string Describe(string parserMessage)
    {
        ArgumentNullException.ThrowIfNull(parserMessage);
        string message = string.Join(' ', parserMessage.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        var parse = CannotParse().Match(message);
        if (parse.Success)
        {
            return $"{parse.Groups["option"].Value} '{UserText.Echo(parse.Groups["value"].Value)}' is not {Expected(parse.Groups["type"].Value)}.";
        }
        // Anything else ("Required argument missing for option: '--count'.", "Argument 'xml' not recognized. Must be one
        // of: 'table' 'json' 'csv'"): the parser's words, each quoted token cut, and any type name put in words.
        message = Quoted().Replace(message, m => $"'{UserText.Echo(m.Groups[1].Value)}'");
        return UserErrors.Capped(InWords(message));
    }

    /// <summary><paramref name="text"/> with every .NET type name ("System.Int32") replaced by what it is (<see cref="Expected"/>).</summary>
    public static string InWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TypeName().Replace(text, m => Expected(m.Value));
    }

    /// <summary>What a value of .NET type <paramref name="typeName"/> is, to a user: "a whole number (0 to 255)",
    /// "a number", "true or false", ...; never the type's name.</summary>
    /// <param name="typeName">A type name as .NET prints it ("System.Int32", "System.Nullable`1[System.Int64]").</param>
    public static string Expected(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var nullable = NullableOf().Match(typeName);
        string type = nullable.Success ? nullable.Groups["inner"].Value : typeName;
        return type switch
        {
            "System.Int32" or "Int32" or "int" => Whole(int.MinValue, int.MaxValue),
            "System.Int64" or "Int64" or "long" => Whole(long.MinValue, long.MaxValue),
            "System.UInt64" or "UInt64" or "ulong" => $"a whole number from 0 to {ulong.MaxValue.ToString(CultureInfo.InvariantCulture)}",
            "System.UInt32" or "UInt32" or "uint" => Whole(0, uint.MaxValue),
            "System.Int16" or "Int16" => Whole(short.MinValue, short.MaxValue),
            "System.Byte" or "Byte" => Whole(0, byte.MaxValue),
            "System.Single" or "System.Double" or "System.Decimal" or "Single" or "Double" or "float" or "double" => "a number (such as 0.5, 3 or 1e-3)",
            "System.Boolean" or "Boolean" or "bool" => "true or false",
            "System.TimeSpan" or "TimeSpan" => "a time span such as 00:00:30",
            "System.IO.FileInfo" or "System.IO.DirectoryInfo" => "a path",
            _ => "a value of the kind this option takes (see --help)",
        };
    }

    private static string Whole(long min, long max) =>
        string.Create(CultureInfo.InvariantCulture, $"a whole number ({min} to {max})");

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command|argument) '(?<option>[^']*)' as expected type '(?<type>[^']*)'\.?$", RegexOptions.Singleline)]
    private static partial Regex CannotParse();




    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>[^\]]+)\]$")]
    private static partial Regex NullableOf();

    [GeneratedRegex(@"System(\.[A-Za-z0-9_`\[\]]+)+")]
    private static partial Regex TypeName();
}
