// Lists the image files of one folder dataset root (a split root such as PATH/train, or PATH itself), staying inside it.
// Rules for links (symbolic links; on Windows also junctions):
//   - the plain tree is walked first, without following any link; every directory and file is known by its real path;
//   - then each link is resolved to its real path. A link whose target is outside the root is skipped (a link to ..
//     would walk into sibling folders), a broken link is skipped, a link to a directory already walked is skipped
//     (a link to . or to a parent would loop, or count images twice), a link to a file already listed is skipped
//     (each real file counts once); any other link inside the root is followed like a plain entry, under its own name;
//   - hidden entries (names starting with '.') and files without an image extension (ImageSource.Extensions, any case) are ignored.
// What was skipped is counted and described in one line (Summary), never silently. It does not read any image.
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Data;

public sealed class FolderScan
{
    /// <summary>Links resolving through more than this many links are treated as broken (the OS's ELOOP is 40).</summary>
    private const int MaxLinkDepth = 40;

    private readonly string _root;
    private readonly string _realRoot;
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly List<(string Path, string Label, string RealPath)> _found = [];
    private readonly Queue<(FileSystemInfo Link, string Relative)> _links = new();
    private readonly List<string> _outside = [];
    private readonly List<string> _broken = [];
    private readonly List<string> _revisited = [];
    private int _duplicateFiles;

    private FolderScan(string root)
    {
        _root = root;
        _realRoot = RealPath(root);
    }

    /// <summary>(path as found under the root, label, real path to read), sorted by path.</summary>
    public IReadOnlyList<(string Path, string Label, string RealPath)> Files => _found;

    /// <summary>One line saying what was skipped, or null when nothing was.</summary>
    public string? Summary
    {
        get
        {
            var parts = new List<string>();
            Describe(parts, _outside, "link leaving the folder", "links leaving the folder");
            Describe(parts, _broken, "broken link", "broken links");
            Describe(parts, _revisited, "link to a folder already read (a loop or a second path)", "links to folders already read (loops or second paths)");
            if (_duplicateFiles > 0)
            {
                parts.Add($"{_duplicateFiles} link{(_duplicateFiles == 1 ? "" : "s")} to image files already listed");
            }
            return parts.Count == 0 ? null : $"{UserText.Path(_root)}: skipped {string.Join("; ", parts)}";
        }
    }

    public static FolderScan Run(string root)
    {
        var scan = new FolderScan(root);
        scan._directories.Add(scan._realRoot);
        scan.Walk(scan._realRoot, "");
        while (scan._links.TryDequeue(out var link))
        {
            scan.Follow(link.Link, link.Relative);
        }
        scan._found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return scan;
    }

    /// <summary>The path with every link resolved (each component in turn), as the OS would open it.</summary>
    public static string RealPath(string path) => RealPath(path, 0) ?? Path.GetFullPath(path);

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or inside it (both real, full paths).</summary>
    public static bool IsInside(string path, string root) =>
        path == root || path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private void Walk(string realDirectory, string relative)
    {
        var entries = new DirectoryInfo(realDirectory).EnumerateFileSystemInfos()
            .Where(e => !e.Name.StartsWith('.'))
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (FileSystemInfo entry in entries)
        {
            string entryRelative = relative.Length == 0 ? entry.Name : Path.Combine(relative, entry.Name);
            if (entry.LinkTarget is not null)
            {
                _links.Enqueue((entry, entryRelative));
            }
            else if (entry is DirectoryInfo)
            {
                if (_directories.Add(entry.FullName))
                {
                    Walk(entry.FullName, entryRelative);
                }
            }
            else
            {
                Add(entryRelative, entry.FullName);
            }
        }
    }

    private void Follow(FileSystemInfo link, string relative)
    {
        string shown = $"{UserText.Path(relative)} -> {UserText.Path(link.LinkTarget)}";
        string? target = RealPath(link.FullName, 0);
        if (target is null || !Path.Exists(target))
        {
            _broken.Add(shown);
        }
        else if (!IsInside(target, _realRoot))
        {
            _outside.Add(shown);
        }
        else if (Directory.Exists(target))
        {
            if (_directories.Add(target))
            {
                Walk(target, relative);
            }
            else
            {
                _revisited.Add(shown);
            }
        }
        else if (!Add(relative, target))
        {
            _duplicateFiles++;
        }
    }

    // False when the real file was listed already (reached through another link).
    private bool Add(string relative, string realPath)
    {
        if (!ImageSource.Extensions.Contains(Path.GetExtension(relative).ToLowerInvariant()))
        {
            return true;
        }
        if (!_files.Add(realPath))
        {
            return false;
        }
        int separator = relative.IndexOf(Path.DirectorySeparatorChar);
        _found.Add((Path.Combine(_root, relative), separator < 0 ? FolderDataset.NoLabel : relative[..separator], realPath));
        return true;
    }

    // Resolves component by component from the filesystem root, so that ".." in a link's text is taken from the
    // link's real folder, as the OS does. Null when a link cannot be resolved (missing, or too many links deep).
    private static string? RealPath(string path, int depth)
    {
        if (depth > MaxLinkDepth)
        {
            return null;
        }
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full)!;
        foreach (string part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            string next = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (info.LinkTarget is not string text)
            {
                current = next;
                continue;
            }
            string? resolved = RealPath(Path.Combine(current, text), depth + 1);
            if (resolved is null)
            {
                return null;
            }
            current = resolved;
        }
        return current;
    }

    private static void Describe(List<string> parts, List<string> items, string one, string many)
    {
        if (items.Count > 0)
        {
            string examples = string.Join(", ", items.Take(3)) + (items.Count > 3 ? ", ..." : "");
            parts.Add($"{items.Count} {(items.Count == 1 ? one : many)} ({examples})");
        }
    }
}
