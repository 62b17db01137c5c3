// What the repository's C# declares, read with patterns from code without comments or literals (CSharpSource): every
// type by simple name (class, struct, interface, enum, record, delegate), where it is declared, the types it names as
// bases, and the names declared in its files (members, enum members, record parameters, nested types). A name counts
// for every type of the file that declares it: the check built on this asks "does X.Y name something that X's files
// declare?", which catches a member renamed, moved or never written, not every possible mistake.
using System.Text.RegularExpressions;

namespace VaeOnnx.Tests.Repository;

public sealed partial class CSharpDeclarations
{
    private readonly Dictionary<string, List<string>> _typeFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _fileNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _bases = new(StringComparer.Ordinal);

    /// <summary>Indexes the given files (path relative to the repository, text).</summary>
    public CSharpDeclarations(IEnumerable<(string Path, string Text)> files)
    {
        foreach (var (path, text) in files)
        {
            string code = CSharpSource.Parse(text).Code;
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in TypeDeclaration().Matches(code))
            {
                string type = m.Groups["name"].Value;
                names.Add(type);
                if (!_typeFiles.TryGetValue(type, out var list))
                {
                    _typeFiles[type] = list = [];
                }
                list.Add(path);
                var bases = _bases.TryGetValue(type, out var known) ? known : _bases[type] = new HashSet<string>(StringComparer.Ordinal);
                foreach (Match p in Parameter().Matches(m.Groups["parameters"].Value))
                {
                    names.Add(p.Groups["name"].Value);
                }
                foreach (Match b in Identifier().Matches(m.Groups["bases"].Value))
                {
                    bases.Add(b.Value);
                }
                if (m.Groups["kind"].Value == "enum")
                {
                    int open = code.IndexOf('{', m.Index + m.Length - 1);
                    int close = open < 0 ? -1 : code.IndexOf('}', open);
                    if (close > open)
                    {
                        foreach (Match member in EnumMember().Matches(code[(open + 1)..close]))
                        {
                            names.Add(member.Groups["name"].Value);
                        }
                    }
                }
            }
            foreach (Match m in MemberDeclaration().Matches(code))
            {
                if (!Keywords.Contains(m.Groups["before"].Value))
                {
                    names.Add(m.Groups["name"].Value);
                }
            }
            _fileNames[path] = names;
        }
    }

    /// <summary>Whether the repository declares a type with this simple name.</summary>
    public bool IsType(string name) => _typeFiles.ContainsKey(name);

    /// <summary>The files that declare <paramref name="type"/> (several for partial types and for equal simple names).</summary>
    public IReadOnlyList<string> FilesOf(string type) => _typeFiles.TryGetValue(type, out var files) ? files : [];

    /// <summary>Whether a file declaring <paramref name="type"/>, or one of its bases declared here, declares <paramref name="member"/>.</summary>
    public bool Declares(string type, string member)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([type]);
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            if (!seen.Add(current) || !_typeFiles.TryGetValue(current, out var files))
            {
                continue;
            }
            if (files.Any(f => _fileNames[f].Contains(member)))
            {
                return true;
            }
            foreach (string b in _bases.GetValueOrDefault(current) ?? [])
            {
                pending.Push(b);
            }
        }
        return false;
    }

    // Words that can stand before "Name(" or "Name =" without declaring Name.
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "return", "new", "await", "throw", "else", "case", "in", "is", "as", "out", "ref", "yield", "goto", "using", "nameof", "typeof", "when", "and", "or", "not",
        "var", "sizeof", "default", "checked", "unchecked", "lock", "params", "this", "base",
    };

    [GeneratedRegex(@"\b(?<kind>class|struct|interface|enum|record(?:\s+struct|\s+class)?|delegate\s+[\w<>\[\]?,. ]+?)\s+@?(?<name>[A-Za-z_]\w*)\s*(?:<[^>{(]*>)?\s*(?:\((?<parameters>[^)]*)\))?\s*(?::(?<bases>[^{;]*?))?\s*(?:where\b[^{;]*)?[{;]", RegexOptions.ExplicitCapture)]
    private static partial Regex TypeDeclaration();

    // "Type Name(", "Type Name<T>(", "Type Name {", "Type Name =>", "Type Name =", "Type Name;", "Type Name," (fields, parameters, locals too).
    [GeneratedRegex(@"(?<before>(?<![=\w>\[\]?)])\w[\w>\[\]?)]*|\)[>\[\]?)]*)\s+@?(?<name>[A-Za-z_]\w*)\s*(?:<[\w\s,]*>)?\s*(?=\(|\{|=>|=|;|,|\))", RegexOptions.ExplicitCapture)]
    private static partial Regex MemberDeclaration();

    [GeneratedRegex(@"[\w>\]?]\s+@?(?<name>[A-Za-z_]\w*)\s*(?:=[^,]*)?(?:,|$)", RegexOptions.ExplicitCapture)]
    private static partial Regex Parameter();

    [GeneratedRegex(@"(?:^|,)\s*(?:\[[^\]]*\]\s*)*(?<name>[A-Za-z_]\w*)", RegexOptions.ExplicitCapture)]
    private static partial Regex EnumMember();

    [GeneratedRegex(@"[A-Za-z_]\w*")]
    private static partial Regex Identifier();
}
