// How the trainer's messages quote what the user gave (option values, paths, names found in files): on one line,
// with control characters shown as '?', and cut to a few hundred characters with the full length said, so that a
// 200 KB argument or a binary file name cannot flood the terminal. Every echo of user input goes through here.
using System.Globalization;
using System.Text;

namespace VaeOnnx.Trainer.Data;

public static class UserText
{
    /// <summary>Characters of an echoed value kept before it is cut.</summary>
    public const int MaxEcho = 200;

    /// <summary>Characters of an echoed path kept before it is cut (paths are longer and their end matters less).</summary>
    public const int MaxPath = 300;

    /// <summary>A value as typed, safe to put in a one-line message.</summary>
    public static string Echo(string? text) => Cap(text, MaxEcho);

    /// <summary>A path, safe to put in a one-line message.</summary>
    public static string Path(string? path) => Cap(path, MaxPath);

    private static string Cap(string? text, int limit)
    {
        if (text is null)
        {
            return "(none)";
        }
        var builder = new StringBuilder(Math.Min(text.Length, limit) + 32);
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, limit)))
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        if (text.Length > limit)
        {
            builder.Append(CultureInfo.InvariantCulture, $"... ({text.Length:N0} characters)");
        }
        return builder.ToString();
    }
}
