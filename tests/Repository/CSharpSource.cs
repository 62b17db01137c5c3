// A small C# lexer for the repository checks: splits a file into its comments (with the line each starts on) and
// its code with comments and string/char literals blanked out (same length and line breaks, so positions still
// match). It knows line, block and XML-doc comments, regular, verbatim, interpolated (holes are code) and raw string
// literals, and char literals. It does not parse C#; the checks built on it read declarations with patterns.
using System.Text;

namespace VaeOnnx.Tests.Repository;

/// <summary>One comment: its text (without the // or /* */ markers) and the 1-based line it starts on.</summary>
public sealed record SourceComment(int Line, string Text);

public sealed class CSharpSource
{
    private CSharpSource(IReadOnlyList<SourceComment> comments, string code, IReadOnlyList<string> literals)
    {
        Comments = comments;
        Code = code;
        Literals = literals;
    }

    public IReadOnlyList<SourceComment> Comments { get; }

    /// <summary>The text of every string literal (interpolated ones in pieces, between their holes).</summary>
    public IReadOnlyList<string> Literals { get; }

    /// <summary>The file with every comment and literal replaced by spaces (line breaks kept).</summary>
    public string Code { get; }

    public static CSharpSource Parse(string text)
    {
        var comments = new List<SourceComment>();
        var literals = new List<string>();
        var code = new StringBuilder(text);
        int line = 1, i = 0;
        // Each open interpolated string: its kind and the brace depth of the hole being read (0: in the literal part).
        var interpolations = new Stack<(bool Verbatim, int Depth)>();

        void Literal(int from, int to)
        {
            if (to > from)
            {
                literals.Add(text[from..Math.Min(to, text.Length)]);
            }
            Blank(from, to);
        }

        void Blank(int from, int to)
        {
            for (int k = from; k < to && k < code.Length; k++)
            {
                if (code[k] != '\n')
                {
                    code[k] = ' ';
                }
            }
        }

        char At(int k) => k < text.Length ? text[k] : '\0';

        // Reads a string literal's body from i (after the opening quote) to its closing quote; returns the index after it.
        int EndOfString(int start, bool verbatim, bool interpolated)
        {
            int k = start;
            while (k < text.Length)
            {
                char c = text[k];
                if (c == '\n')
                {
                    line++;
                }
                if (verbatim && c == '"' && At(k + 1) == '"')
                {
                    k += 2;
                    continue;
                }
                if (!verbatim && c == '\\')
                {
                    k += 2;
                    continue;
                }
                if (c == '"')
                {
                    return k + 1;
                }
                if (interpolated && c == '{')
                {
                    if (At(k + 1) == '{')
                    {
                        k += 2;
                        continue;
                    }
                    interpolations.Push((verbatim, 1));
                    return -(k + 1); // a hole opens: code resumes after the brace
                }
                k++;
            }
            return text.Length;
        }

        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
                continue;
            }
            if (interpolations.Count > 0 && (c == '{' || c == '}'))
            {
                var (verbatim, depth) = interpolations.Pop();
                depth += c == '{' ? 1 : -1;
                if (depth > 0)
                {
                    interpolations.Push((verbatim, depth));
                    i++;
                    continue;
                }
                int resumed = EndOfString(i + 1, verbatim, interpolated: true);
                int stop = resumed < 0 ? -resumed : resumed;
                Literal(i + 1, resumed < 0 ? stop - 1 : stop);
                i = stop;
                continue;
            }
            if (c == '/' && At(i + 1) == '/')
            {
                int end = text.IndexOf('\n', i);
                end = end < 0 ? text.Length : end;
                comments.Add(new SourceComment(line, text[(i + 2)..end].TrimStart('/')));
                Blank(i, end);
                i = end;
                continue;
            }
            if (c == '/' && At(i + 1) == '*')
            {
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                comments.Add(new SourceComment(line, text[(i + 2)..Math.Max(i + 2, end - 2)]));
                line += text.AsSpan(i, end - i).Count('\n');
                Blank(i, end);
                i = end;
                continue;
            }
            if (c == '\'' )
            {
                int k = i + 1;
                while (k < text.Length && text[k] != '\'' && text[k] != '\n')
                {
                    k += text[k] == '\\' ? 2 : 1;
                }
                Literal(i, k + 1);
                i = k + 1;
                continue;
            }
            // String literals, with their prefixes: $, @, $@, @$, and raw ("""...""", $"""...""", $$"""...""").
            int p = i;
            int dollars = 0;
            bool at = false;
            while (p < text.Length && (text[p] == '$' || text[p] == '@'))
            {
                if (text[p] == '$')
                {
                    dollars++;
                }
                else
                {
                    at = true;
                }
                p++;
            }
            if (At(p) == '"' && (p == i || !char.IsLetterOrDigit(At(i - 1))))
            {
                int quotes = 0;
                while (At(p + quotes) == '"')
                {
                    quotes++;
                }
                if (quotes >= 3)
                {
                    string delimiter = new('"', quotes);
                    int end = text.IndexOf(delimiter, p + quotes, StringComparison.Ordinal);
                    end = end < 0 ? text.Length : end + quotes;
                    line += text.AsSpan(i, end - i).Count('\n');
                    Literal(i, end);
                    i = end;
                    continue;
                }
                int after = EndOfString(p + 1, at, dollars > 0);
                int stopAt = after < 0 ? -after : after;
                Literal(i, after < 0 ? stopAt - 1 : stopAt);
                i = stopAt;
                continue;
            }
            i++;
        }
        return new CSharpSource(comments, code.ToString(), literals);
    }
}
