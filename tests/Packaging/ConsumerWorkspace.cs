// A folder outside the repository holding what a user has after `dotnet new` and `dotnet add package`: copies of the
// example projects of tests/Examples, each referencing a package by version, and a nuget.config whose sources are the
// test feed (for the VaeOnnx packages only, by package source mapping) and nuget.org (the registry served here) for
// everything else. It restores into its own packages folder with the machine's NuGet cache as a fallback folder, so the
// third-party packages (which the repository's own restore already fetched) come from the local cache and nothing is
// left behind. The examples are built once per test run, together, with warnings as errors.
using System.Diagnostics;
using System.Text.RegularExpressions;
using VaeOnnx.Tests.Runtime.Host.Serving;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Packaging;

internal sealed partial class ConsumerWorkspace
{
    /// <summary>The example projects under tests/Examples, each a folder holding a project file of the same name.</summary>
    public static readonly string[] Examples = ["QuickStart", "EmbeddedApi", "ServingApi"];

    private static readonly Lazy<ConsumerWorkspace> Built = new(Create);

    private ConsumerWorkspace(string folder, string buildOutput)
    {
        Folder = folder;
        BuildOutput = buildOutput;
    }

    public static ConsumerWorkspace Instance => Built.Value;

    public string Folder { get; }

    public string BuildOutput { get; }

    /// <summary>The NuGet cache the machine's restores use (NUGET_PACKAGES, else ~/.nuget/packages).</summary>
    public static string MachinePackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The environment of every dotnet command run here: nothing of the repository's build settings.</summary>
    public static IReadOnlyDictionary<string, string?> CommandEnvironment { get; } = new Dictionary<string, string?>
    {
        ["VAEONNX_ARTIFACTS"] = null,
        ["NUGET_PACKAGES"] = null, // it would override nuget.config's globalPackagesFolder
    };

    /// <summary>The built example's assembly.</summary>
    public string Assembly(string example) => Path.Combine(Folder, example, "bin", "Release", "net10.0", $"{example}.dll");

    /// <summary>
    /// Starts the built web example <paramref name="example"/> on a free 127.0.0.1 port (ASPNETCORE_URLS) with
    /// <paramref name="environment"/> and <paramref name="args"/>, and waits until <paramref name="readyPath"/> answers 200.
    /// </summary>
    public Task<ServerProcess> StartAsync(string example, string readyPath, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        int port = ServerProcess.FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        foreach (string argument in (string[])[Assembly(example), .. args])
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return ServerProcess.StartAsync(start, port, readyPath);
    }

    /// <summary>Runs `dotnet ARGS` in the workspace.</summary>
    public (int ExitCode, string Output) Dotnet(TimeSpan timeout, params string[] args) => DotnetCommand.Run(Folder, timeout, CommandEnvironment, args);

    /// <summary>The version an example's project file names for <paramref name="packageId"/> (the literal a user writes).</summary>
    public static string ReferencedVersion(string example, string packageId)
    {
        string project = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Examples", example, $"{example}.csproj"));
        var match = Regex.Match(project, $"<PackageReference Include=\"{Regex.Escape(packageId)}\" Version=\"(?<version>[^\"]+)\" />");
        return match.Success ? match.Groups["version"].Value : "";
    }

    /// <summary>
    /// nuget.config of a folder that takes the VaeOnnx packages from <paramref name="feed"/> and the rest from nuget.org;
    /// <paramref name="ownPackagesFolder"/>: restored into packages/ beside it, with the machine's cache as a fallback
    /// folder (otherwise into the machine's cache, where what it downloads stays for the next restore).
    /// </summary>
    public static string NuGetConfig(string feed, bool ownPackagesFolder = true) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="{(ownPackagesFolder ? "packages" : MachinePackages)}" />
          </config>
          <fallbackPackageFolders>
            {(ownPackagesFolder ? $"<add key=\"machine\" value=\"{MachinePackages}\" />" : "")}
          </fallbackPackageFolders>
          <packageSources>
            <clear />
            <add key="vaeonnx" value="{feed}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="vaeonnx">
              <package pattern="VaeOnnx.*" />
              <package pattern="{PackageFeed.Tool}" />
              <package pattern="{PackageFeed.Trainer}" />
            </packageSource>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    public static void DeleteIfCreated()
    {
        if (Built.IsValueCreated) PackageFeed.Delete(Built.Value.Folder);
    }

    private static ConsumerWorkspace Create()
    {
        var feed = PackageFeed.Feed;
        string folder = Path.Combine(Path.GetTempPath(), $"vaeonnx-consumers-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), NuGetConfig(feed.Folder));
        foreach (string example in Examples)
        {
            string source = Path.Combine(RepositoryPaths.Root, "tests", "Examples", example);
            string target = Path.Combine(folder, example);
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(source))
            {
                string text = File.ReadAllText(file);
                // The user's literal version becomes this run's pre-release of it.
                if (file.EndsWith(".csproj", StringComparison.Ordinal))
                    text = PackageVersion().Replace(text, m => $"{m.Groups["head"].Value}Version=\"{feed.Version}\"");
                File.WriteAllText(Path.Combine(target, Path.GetFileName(file)), text);
            }
        }
        File.WriteAllText(Path.Combine(folder, "Consumers.slnx"),
            "<Solution>\n" + string.Concat(Examples.Select(e => $"  <Project Path=\"{e}/{e}.csproj\" />\n")) + "</Solution>\n");

        var (code, output) = DotnetCommand.Run(folder, TimeSpan.FromMinutes(6), CommandEnvironment,
            "build", "Consumers.slnx", "-c", "Release", "-warnaserror", "-nologo");
        TestContext.Out.WriteLine(output);
        if (code != 0)
        {
            PackageFeed.Delete(folder);
            Assert.Fail($"The example projects did not build against the packages:\n{output}");
        }
        return new ConsumerWorkspace(folder, output);
    }

    [GeneratedRegex("(?<head><PackageReference Include=\"(VaeOnnx\\.[A-Za-z.]+)\" )Version=\"[^\"]+\"")]
    private static partial Regex PackageVersion();
}
