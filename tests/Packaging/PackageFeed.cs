// The packages as a user receives them: `dotnet pack` of the solution into a temporary folder feed, once per test run,
// with a version of its own (VersionPrefix-test.TIME) so no copy of an earlier build in any NuGet cache can stand in
// for it. Packs what the test run built (--no-build, same configuration and VAEONNX_ARTIFACTS), as a release pipeline
// packs what it built and tested. The feed is deleted when the run ends.
using System.Reflection;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Packaging;

internal sealed record PackedFeed(string Folder, string Version, string PackOutput)
{
    public string Package(string id) => Path.Combine(Folder, $"{id}.{Version}.nupkg");

    public string Symbols(string id) => Path.Combine(Folder, $"{id}.{Version}.snupkg");
}

[SetUpFixture]
public sealed class PackageFeed
{
    /// <summary>The library packages and the tools, by package id.</summary>
    public const string Library = "VaeOnnx.Runtime", AspNetCore = "VaeOnnx.Runtime.AspNetCore", Tool = "vaeonnx-runtime", Trainer = "vaeonnx-trainer";

    private static readonly Lazy<PackedFeed> Packed = new(Pack);

    internal static PackedFeed Feed => Packed.Value;

    /// <summary>The version every package project carries (VersionPrefix of Directory.Build.props), read from the built library.</summary>
    public static string VersionPrefix => typeof(VaeModel).Assembly.GetName().Version!.ToString(3);

    /// <summary>The configuration the test assembly (and so the packed projects) was built in.</summary>
    public static string Configuration =>
        typeof(PackageFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    [OneTimeTearDown]
    public void DeleteFeed()
    {
        if (Packed.IsValueCreated) Delete(Packed.Value.Folder);
        ConsumerWorkspace.DeleteIfCreated();
    }

    private static PackedFeed Pack()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"vaeonnx-feed-{Guid.NewGuid():N}");
        string version = $"{VersionPrefix}-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var (code, output) = DotnetCommand.Run(RepositoryPaths.Root, TimeSpan.FromMinutes(5), new Dictionary<string, string?>(),
            "pack", "VaeOnnx.sln", "-c", Configuration, "--no-build", "-o", folder, $"-p:PackageVersion={version}", "-nologo");
        TestContext.Out.WriteLine(output);
        if (code != 0)
        {
            Delete(folder);
            Assert.Fail($"dotnet pack --no-build failed (build the solution in {Configuration} first):\n{output}");
        }
        return new PackedFeed(folder, version, output);
    }

    internal static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort, as TemporaryFolder.
        }
    }
}
