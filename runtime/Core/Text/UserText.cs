// How messages (the trainer's, the runtime CLI's, the service's) quote what the user gave (option values, paths, names
// and values found in files): on one line, with control characters shown as '?', and cut to a few hundred characters
// with the full length said, so that a 200 KB argument or a binary file name cannot flood the terminal; numbers in
// compact invariant form (-1E+308, not 300 digits). Every echo of user input goes through here.
using System.Globalization;
using System.Text;

namespace VaeOnnx.Runtime.Core.Text;

/// <summary>How messages quote what the user gave: one line, control characters shown as '?', cut to a few hundred characters; numbers compact and invariant.</summary>
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

    /// <summary>Names as a sentence lists them: "a", "a and b", "a, b and c" (the names are ours, not the user's: not cut).</summary>
    public static string List(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        string[] all = [.. names];
        return all.Length <= 1 ? string.Concat(all) : $"{string.Join(", ", all[..^1])} and {all[^1]}";
    }

    /// <summary>A number as a person reads it: at most 6 significant digits, exponent form when long, invariant culture.</summary>
    public static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A number with <paramref name="decimals"/> fixed decimals when it is below 1e9 in magnitude, else <see cref="Number(double)"/>: never 300 digits.</summary>
    public static string Number(double value, int decimals) => Math.Abs(value) < 1e9
        ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
        : Number(value);

    // Control and format characters (a terminal escape, a right-to-left override), lone surrogates, unassigned or
    // private code points, and U+FFFD (what bytes that are not text decode to) are never echoed as they are.
    private static bool IsUnsafe(char c) => c == '\uFFFD' || char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static string Cap(string? text, int limit)
    {
        if (text is null)
        {
            return "(none)";
        }
        var builder = new StringBuilder(Math.Min(text.Length, limit) + 32);
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, limit)))
        {
            builder.Append(IsUnsafe(c) ? '?' : c);
        }
        if (text.Length > limit)
        {
            builder.Append(CultureInfo.InvariantCulture, $"... ({text.Length:N0} characters)");
        }
        return builder.ToString();
    }
}
