// The check that references in the repository stay true after files and members move. What it reads, and the forms
// it holds to account (anything else in a comment is prose and not checked):
//   1. Markdown links, in every *.md: a relative target (inline, image, reference definition, HTML href/src) must be
//      a file or folder, relative to the Markdown file; with #anchor into a Markdown file, a heading (GitHub's
//      spelling) or <a name/id> there must make that anchor; a bare #anchor must be one of the file's own.
//   2. File names, in comments of C#, project, shell and Python files and in Markdown code spans: a token ending in
//      .cs, .md, .csproj, .props, .targets, .sln, .sh, .py, .js, .css, .proto, .yml or .yaml must exist. With a '/',
//      relative to the file's folder or any folder above it up to the repository (so "Support/RepositoryPaths.cs" in
//      this file means tests/Support/RepositoryPaths.cs, and "runtime/Core/VaeModel.cs" works from anywhere;
//      "../shared/..." is beside the checkout); without one, a file of that name anywhere in the repository or ../shared, or a name the code
//      writes (it appears in a C# string literal or in a script's commands, like anomaly-report.md).
//   3. Members, in C# comments (XML doc included) and Markdown code spans: in "Type.Member" (PascalCase, dots, as in
//      "VaeScorer.Score" or "TrainingConfig.Defaults.Data"), when Type is a type this repository declares, Member must
//      be declared by Type's files or its bases here (a method, property, field, constant, enum member, record
//      parameter or nested type). Extension methods are their class's members: write VaeScorer.Score, not the
//      receiver's type with the method's name. Types from other libraries (Path.Combine) are not checked.
// Not scanned: the page's assets (*.js, *.css, *.html under wwwroot; their comments are checked by their own review),
// generated code (Proto/), and test fixtures. Each finding names file:line, the reference and what was looked for.
using System.Text.RegularExpressions;

namespace VaeOnnx.Tests.Repository;

/// <summary>A reference that does not resolve: where it is and what is wrong.</summary>
public sealed record ReferenceFinding(string Path, int Line, string Message)
{
    public override string ToString() => $"{Path}:{Line}: {Message}";
}

public sealed partial class ReferenceCheck
{
    private static readonly string[] CommentedExtensions = [".cs", ".csproj", ".props", ".targets", ".sh", ".py", ".yml", ".yaml"];

    private readonly IReadOnlyDictionary<string, string> _texts;
    private readonly HashSet<string> _files;
    private readonly HashSet<string> _folders;
    private readonly HashSet<string> _fileNames;
    private readonly CSharpDeclarations _declarations;
    private readonly Dictionary<string, MarkdownText> _markdown = new(StringComparer.Ordinal);

    /// <param name="texts">The files to check and index, by path relative to the repository ('/' separated).</param>
    /// <param name="otherFiles">Paths of every other file that exists (not read), including "../shared/..." ones beside the checkout.</param>
    public ReferenceCheck(IReadOnlyDictionary<string, string> texts, IEnumerable<string> otherFiles)
    {
        _texts = texts;
        _files = new HashSet<string>(texts.Keys.Concat(otherFiles).Select(Normalize), StringComparer.Ordinal);
        _folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in _files)
        {
            for (string folder = Parent(file); folder.Length > 0; folder = Parent(folder))
            {
                _folders.Add(folder);
            }
        }
        _fileNames = new HashSet<string>(_files.Select(f => f[(f.LastIndexOf('/') + 1)..]), StringComparer.Ordinal);
        foreach (var (path, text) in texts)
        {
            IEnumerable<string> code = path.EndsWith(".cs", StringComparison.Ordinal)
                ? CSharpSource.Parse(text).Literals
                : path.EndsWith(".md", StringComparison.Ordinal) ? [] : text.Split('\n').Select(l => HashCommentLine().Replace(l, ""));
            foreach (string piece in code)
            {
                foreach (Match m in FileName().Matches(piece))
                {
                    string name = m.Groups["path"].Value;
                    _fileNames.Add(name[(name.LastIndexOf('/') + 1)..]);
                }
            }
        }
        _declarations = new CSharpDeclarations(texts.Where(t => t.Key.EndsWith(".cs", StringComparison.Ordinal)).Select(t => (t.Key, t.Value)));
    }

    /// <summary>Whether the check reads <paramref name="path"/> (the others only have to exist).</summary>
    public static bool Reads(string path) =>
        (path.EndsWith(".md", StringComparison.Ordinal) || CommentedExtensions.Any(e => path.EndsWith(e, StringComparison.Ordinal)))
        && !path.Contains("/Proto/", StringComparison.Ordinal) && !path.Contains("/Fixtures/", StringComparison.Ordinal);

    public IReadOnlyList<ReferenceFinding> Run()
    {
        var findings = new List<ReferenceFinding>();
        foreach (var (path, text) in _texts.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (path.EndsWith(".md", StringComparison.Ordinal))
            {
                MarkdownText markdown = MarkdownOf(path);
                foreach (MarkdownLink link in markdown.Links)
                {
                    CheckLink(path, link, findings);
                }
                foreach (MarkdownSpan span in markdown.CodeSpans)
                {
                    CheckText(path, span.Line, span.Text, findings);
                }
            }
            else if (path.EndsWith(".cs", StringComparison.Ordinal))
            {
                foreach (SourceComment comment in CSharpSource.Parse(text).Comments)
                {
                    string[] lines = comment.Text.Split('\n');
                    for (int i = 0; i < lines.Length; i++)
                    {
                        CheckText(path, comment.Line + i, lines[i], findings, members: true);
                    }
                }
            }
            else
            {
                bool xml = path.EndsWith("proj", StringComparison.Ordinal) || path.EndsWith(".props", StringComparison.Ordinal) || path.EndsWith(".targets", StringComparison.Ordinal);
                bool inComment = false;
                string[] lines = text.ReplaceLineEndings("\n").Split('\n');
                for (int i = 0; i < lines.Length; i++)
                {
                    foreach (string comment in xml ? XmlComments(lines[i], ref inComment) : HashComment(lines[i]))
                    {
                        CheckText(path, i + 1, comment, findings, members: false);
                    }
                }
            }
        }
        return findings;
    }

    // The parts of one line of XML inside <!-- -->, carrying an open comment over to the next line.
    private static IEnumerable<string> XmlComments(string line, ref bool inComment)
    {
        var parts = new List<string>();
        int at = 0;
        while (at < line.Length)
        {
            if (!inComment)
            {
                int open = line.IndexOf("<!--", at, StringComparison.Ordinal);
                if (open < 0)
                {
                    break;
                }
                (inComment, at) = (true, open + 4);
            }
            int close = line.IndexOf("-->", at, StringComparison.Ordinal);
            parts.Add(close < 0 ? line[at..] : line[at..close]);
            (inComment, at) = close < 0 ? (true, line.Length) : (false, close + 3);
        }
        return parts;
    }

    private static IEnumerable<string> HashComment(string line) =>
        HashCommentLine().Match(line) is { Success: true } m ? [m.Groups["text"].Value] : [];

    private MarkdownText MarkdownOf(string path)
    {
        if (!_markdown.TryGetValue(path, out MarkdownText? markdown))
        {
            _markdown[path] = markdown = MarkdownText.Parse(_texts[path]);
        }
        return markdown;
    }

    private void CheckLink(string path, MarkdownLink link, List<ReferenceFinding> findings)
    {
        string target = link.Target;
        if (Scheme().IsMatch(target))
        {
            return;
        }
        int hash = target.IndexOf('#');
        string file = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        string? anchor = hash < 0 ? null : target[(hash + 1)..];
        string resolved = file.Length == 0 ? path : Normalize(Combine(Parent(path), file));
        if (file.Length > 0 && !_files.Contains(resolved) && !_folders.Contains(resolved.TrimEnd('/')))
        {
            if (!resolved.StartsWith("../", StringComparison.Ordinal) || _folders.Contains(FirstOutsideFolder(resolved)))
            {
                findings.Add(new(path, link.Line, $"the link ({target}) points to {resolved}, which does not exist; link to the file's current path"));
            }
            return;
        }
        if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.Ordinal) && _texts.ContainsKey(resolved)
            && !MarkdownOf(resolved).Anchors.Contains(Uri.UnescapeDataString(anchor)))
        {
            findings.Add(new(path, link.Line, $"the link ({target}) names the anchor #{anchor}, which no heading of {resolved} makes; " +
                $"its anchors are {string.Join(", ", MarkdownOf(resolved).Anchors.Order(StringComparer.Ordinal).Take(12))}"));
        }
    }

    private void CheckText(string path, int line, string text, List<ReferenceFinding> findings, bool members = true)
    {
        string prose = Url().Replace(text, m => new string(' ', m.Length));
        foreach (Match m in FileName().Matches(prose))
        {
            string name = m.Groups["path"].Value;
            if (!FileExists(path, name))
            {
                findings.Add(new(path, line, $"names the file {name}, which is not {(name.Contains('/') ? "there (relative to this file's folder or one above it)" : "anywhere in the repository")}; write its current path"));
            }
        }
        if (!members)
        {
            return;
        }
        foreach (Match m in QualifiedName().Matches(prose))
        {
            string[] parts = m.Value.Split('.');
            for (int i = 0; i + 1 < parts.Length; i++)
            {
                if (_declarations.IsType(parts[i]) && !_declarations.Declares(parts[i], parts[i + 1]))
                {
                    findings.Add(new(path, line, $"names {parts[i]}.{parts[i + 1]}, but {parts[i]} ({string.Join(", ", _declarations.FilesOf(parts[i]))}) declares no {parts[i + 1]}; " +
                        "name the type that declares it (an extension method's class, the member's new owner)"));
                    break;
                }
            }
        }
    }

    private bool FileExists(string path, string name)
    {
        if (!name.Contains('/'))
        {
            return _fileNames.Contains(name);
        }
        for (string folder = Parent(path); ; folder = Parent(folder))
        {
            string candidate = Normalize(Combine(folder, name));
            if (_files.Contains(candidate) || _folders.Contains(candidate))
            {
                return true;
            }
            if (candidate.StartsWith("../", StringComparison.Ordinal) && !_folders.Contains(FirstOutsideFolder(candidate)) && folder.Length == 0)
            {
                return true; // beside the checkout, and that folder is not here (a clone without ../shared): nothing to check against
            }
            if (folder.Length == 0)
            {
                return false;
            }
        }
    }

    private static string FirstOutsideFolder(string path)
    {
        string[] parts = path.Split('/');
        int up = parts.TakeWhile(p => p == "..").Count();
        return string.Join('/', parts.Take(Math.Min(parts.Length, up + 1)));
    }

    private static string Parent(string path)
    {
        int slash = path.TrimEnd('/').LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    private static string Combine(string folder, string relative) => folder.Length == 0 ? relative : $"{folder}/{relative}";

    /// <summary>Resolves "." and ".." segments; leading ".." (outside the repository) are kept.</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }
            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }
        return string.Join('/', parts);
    }

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.-]*://\S+")]
    private static partial Regex Url();

    [GeneratedRegex(@"(?<![\w./*-])(?<path>(?:\.{1,2}/)*(?:[\w.-]+/)*[\w.-]*\w\.(?:cs|md|csproj|props|targets|sln|sh|py|js|css|proto|yml|yaml))(?![\w/-])", RegexOptions.ExplicitCapture)]
    private static partial Regex FileName();

    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*(?:\.[A-Z]\w*)+")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?:^|\s)#(?![!{])(?<text>.*)$", RegexOptions.ExplicitCapture)]
    private static partial Regex HashCommentLine();
}
