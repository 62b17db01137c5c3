// Which top-level folders of a project refer to which, read from its C# sources (code only; comments and literals
// are blanked by CSharpSource), and the cycles among them. A file in folder A refers to folder B when it has a using
// directive (plain, static or alias; a global one, in any file, counts for every folder) of the namespace Root.B or below, names a type fully qualified as
// Root.B.*, or names a type that B declares qualified by B's name alone ("Models.VaeArchitecture", which resolves
// from inside Root without a using). Every edge keeps one place that makes it, so a cycle can be explained.
using System.Text.RegularExpressions;

namespace VaeOnnx.Tests.Repository;

/// <summary>One reference from a file of folder From to folder To.</summary>
public sealed record FolderReference(string From, string To, string Path, int Line, string Text);

public sealed partial class NamespaceGraph
{
    private readonly Dictionary<(string From, string To), FolderReference> _edges = [];

    /// <param name="rootNamespace">The project's root namespace, e.g. VaeOnnx.Trainer.</param>
    /// <param name="files">The project's C# files: the top-level folder each is in ("" for files at the root, which are not nodes) and its text.</param>
    public NamespaceGraph(string rootNamespace, IEnumerable<(string Folder, string Path, string Text)> files)
    {
        var sources = files.Select(f => (f.Folder, f.Path, Code: CSharpSource.Parse(f.Text).Code)).ToList();
        Folders = sources.Select(s => s.Folder).Where(f => f.Length > 0).ToHashSet(StringComparer.Ordinal);
        var typesOf = Folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (folder, _, code) in sources.Where(s => s.Folder.Length > 0))
        {
            foreach (Match m in TypeName().Matches(code))
            {
                typesOf[folder].Add(m.Groups["name"].Value);
            }
        }
        string root = Regex.Escape(rootNamespace);
        var qualified = new Regex($@"(?<![\w.]){root}\.(?<folder>\w+)\b");
        foreach (var (folder, path, code) in sources)
        {
            string[] lines = code.Split('\n');
            for (int n = 0; n < lines.Length; n++)
            {
                bool global = lines[n].TrimStart().StartsWith("global using", StringComparison.Ordinal);
                foreach (Match m in qualified.Matches(lines[n]))
                {
                    // A global using is in scope in every folder, wherever it is written.
                    IEnumerable<string> from = global ? Folders : folder.Length > 0 ? [folder] : [];
                    foreach (string source in from)
                    {
                        Add(source, m.Groups["folder"].Value, path, n + 1, lines[n]);
                    }
                }
                if (folder.Length == 0)
                {
                    continue;
                }
                foreach (Match m in PartlyQualified().Matches(lines[n]))
                {
                    string to = m.Groups["folder"].Value;
                    if (typesOf.TryGetValue(to, out var types) && types.Contains(m.Groups["type"].Value))
                    {
                        Add(folder, to, path, n + 1, lines[n]);
                    }
                }
            }
        }
    }

    public IReadOnlySet<string> Folders { get; }

    public IReadOnlyCollection<FolderReference> Edges => _edges.Values;

    /// <summary>Every cycle's folders, one list per strongly connected group of two or more folders, each in a cycle order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var next = Folders.ToDictionary(f => f, f => _edges.Keys.Where(e => e.From == f).Select(e => e.To).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (string start in Folders.Order(StringComparer.Ordinal))
        {
            if (done.Contains(start))
            {
                continue;
            }
            var group = Reachable(start, next).Where(f => Reachable(f, next).Contains(start)).ToHashSet(StringComparer.Ordinal);
            done.UnionWith(group);
            done.Add(start);
            if (group.Count > 1)
            {
                cycles.Add(PathWithin(start, group, next));
            }
        }
        return cycles;
    }

    /// <summary>One line per edge of the cycle: "A -> B (path:line: text)".</summary>
    public string Explain(IReadOnlyList<string> cycle) => string.Join("\n", cycle.Select((from, i) =>
    {
        string to = cycle[(i + 1) % cycle.Count];
        FolderReference e = _edges[(from, to)];
        return $"  {from} -> {to} ({e.Path}:{e.Line}: {e.Text.Trim()})";
    }));

    private void Add(string from, string to, string path, int line, string text)
    {
        if (from != to && Folders.Contains(to))
        {
            _edges.TryAdd((from, to), new FolderReference(from, to, path, line, text));
        }
    }

    private static HashSet<string> Reachable(string start, Dictionary<string, List<string>> next)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(next[start]);
        while (pending.Count > 0)
        {
            string folder = pending.Pop();
            if (seen.Add(folder))
            {
                next[folder].ForEach(pending.Push);
            }
        }
        return seen;
    }

    // A shortest way from start back to start through the group (breadth first), as the list of folders passed.
    private static List<string> PathWithin(string start, HashSet<string> group, Dictionary<string, List<string>> next)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            string folder = queue.Dequeue();
            foreach (string to in next[folder].Where(group.Contains))
            {
                if (to == start)
                {
                    var path = new List<string> { folder };
                    while (path[^1] != start)
                    {
                        path.Add(previous[path[^1]]);
                    }
                    path.Reverse();
                    return path;
                }
                if (previous.TryAdd(to, folder))
                {
                    queue.Enqueue(to);
                }
            }
        }
        return [start];
    }

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+(?<name>[A-Za-z_]\w*)", RegexOptions.ExplicitCapture)]
    private static partial Regex TypeName();

    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z]\w*)\.(?<type>[A-Z]\w*)\b", RegexOptions.ExplicitCapture)]
    private static partial Regex PartlyQualified();
}
