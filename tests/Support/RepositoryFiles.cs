// The repository's files as git sees them (tracked, plus new files git does not ignore, so a check flags a new file
// before it is committed), as '/'-separated paths relative to the root. Without git (an exported tree) it walks the
// folders, skipping .git and build outputs.
using System.Diagnostics;

namespace VaeOnnx.Tests.Support;

public static class RepositoryFiles
{
    private static readonly Lazy<IReadOnlyList<string>> AllLazy = new(List);

    private static readonly string[] SkippedFolders = [".git", "bin", "obj", "node_modules", "TestResults", "artifacts"];

    public static IReadOnlyList<string> All => AllLazy.Value;

    private static IReadOnlyList<string> List()
    {
        string root = RepositoryPaths.Root;
        try
        {
            var start = new ProcessStartInfo("git", ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using Process git = Process.Start(start)!;
            string output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0)
            {
                return [.. output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(p => File.Exists(Path.Combine(root, p))).Order(StringComparer.Ordinal)];
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git: walk the tree below.
        }
        return [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(p => !p.Split('/').SkipLast(1).Any(SkippedFolders.Contains))
            .Order(StringComparer.Ordinal)];
    }
}
