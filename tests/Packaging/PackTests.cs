// What `dotnet pack` of the solution makes, opened as NuGet would: no warning while packing; every package carries its
// id, version, description, tags, the MIT licence expression and the LICENSE file, and its own README (PACKAGE.md
// beside its project); the libraries carry their XML documentation, symbols in a .snupkg, and the dependencies a CPU
// user needs; the tools carry ONNX Runtime's native libraries for the five desktop and server platforms and nothing
// for Android or iOS (so do both tools).
using System.IO.Compression;
using System.Xml.Linq;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Packaging;

[TestFixture]
public sealed class PackTests
{
    private static readonly (string Id, string Project)[] Packages =
    [
        (PackageFeed.Library, "runtime/Core"),
        (PackageFeed.AspNetCore, "runtime/AspNetCore"),
        (PackageFeed.Tool, "runtime/Host"),
        (PackageFeed.Trainer, "trainer"),
    ];

    [Test]
    public void Pack_prints_no_warning()
    {
        string[] warnings = PackageFeed.Feed.PackOutput.Split('\n').Where(l => l.Contains("warning", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.That(warnings, Is.Empty);
        Assert.That(Directory.GetFiles(PackageFeed.Feed.Folder).Select(Path.GetFileName), Is.EquivalentTo(new[]
        {
            $"{PackageFeed.Library}.{PackageFeed.Feed.Version}.nupkg", $"{PackageFeed.Library}.{PackageFeed.Feed.Version}.snupkg",
            $"{PackageFeed.AspNetCore}.{PackageFeed.Feed.Version}.nupkg", $"{PackageFeed.AspNetCore}.{PackageFeed.Feed.Version}.snupkg",
            $"{PackageFeed.Tool}.{PackageFeed.Feed.Version}.nupkg", $"{PackageFeed.Trainer}.{PackageFeed.Feed.Version}.nupkg",
        }), "the two libraries with their symbols and the two tools; nothing else is packable");
    }

    [TestCaseSource(nameof(Packages))]
    public void Every_package_says_what_it_is_and_carries_the_licence_and_its_readme((string Id, string Project) package)
    {
        using var nupkg = ZipFile.OpenRead(PackageFeed.Feed.Package(package.Id));
        var metadata = Nuspec(nupkg).Element(Ns(nupkg) + "metadata")!;
        string Text(string name) => metadata.Element(Ns(nupkg) + name)?.Value ?? "";
        Assert.That(Text("id"), Is.EqualTo(package.Id));
        Assert.That(Text("version"), Is.EqualTo(PackageFeed.Feed.Version));
        Assert.That(Text("description"), Has.Length.GreaterThan(100));
        Assert.That(Text("tags").Split(' '), Does.Contain("vae").And.Contain("onnx"));
        Assert.That(Text("authors"), Is.Not.Empty);
        var license = metadata.Element(Ns(nupkg) + "license")!;
        Assert.That((license.Attribute("type")?.Value, license.Value), Is.EqualTo(("expression", "MIT")));
        Assert.That(Text("readme"), Is.EqualTo("README.md"));
        Assert.That(Entry(nupkg, "README.md"), Is.EqualTo(File.ReadAllText(Path.Combine(RepositoryPaths.Root, package.Project, "PACKAGE.md"))));
        Assert.That(Entry(nupkg, "LICENSE"), Is.EqualTo(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "LICENSE"))));
        Assert.That(Entry(nupkg, "LICENSE"), Does.StartWith("MIT License"));
    }

    [TestCase(PackageFeed.Library, "VaeOnnx.Runtime.Core")]
    [TestCase(PackageFeed.AspNetCore, "VaeOnnx.Runtime.AspNetCore")]
    public void The_libraries_carry_their_documentation_and_symbols(string id, string assembly)
    {
        using var nupkg = ZipFile.OpenRead(PackageFeed.Feed.Package(id));
        var files = nupkg.Entries.Select(e => e.FullName).ToArray();
        Assert.That(files, Does.Contain($"lib/net10.0/{assembly}.dll").And.Contain($"lib/net10.0/{assembly}.xml"));
        Assert.That(files.Where(f => f.EndsWith(".pdb", StringComparison.Ordinal)), Is.Empty, "symbols go to the .snupkg");
        var docs = XDocument.Parse(Entry(nupkg, $"lib/net10.0/{assembly}.xml"));
        TestContext.Out.WriteLine($"{assembly}.xml documents {docs.Descendants("member").Count()} members");
        Assert.That(docs.Descendants("member").Count(), Is.GreaterThan(20));

        using var snupkg = ZipFile.OpenRead(PackageFeed.Feed.Symbols(id));
        Assert.That(snupkg.Entries.Select(e => e.FullName), Does.Contain($"lib/net10.0/{assembly}.pdb"));
    }

    [Test]
    public void The_runtime_package_depends_on_the_cpu_build_of_onnx_runtime()
    {
        using var nupkg = ZipFile.OpenRead(PackageFeed.Feed.Package(PackageFeed.Library));
        var dependencies = Dependencies(nupkg);
        TestContext.Out.WriteLine(string.Join(", ", dependencies.Select(d => $"{d.Key} {d.Value}")));
        Assert.That(dependencies.Keys, Is.EquivalentTo(new[] { "Microsoft.ML.OnnxRuntime", "Microsoft.ML.OnnxRuntime.Managed", "SixLabors.ImageSharp" }));
        Assert.That(dependencies["SixLabors.ImageSharp"], Is.EqualTo("[2.1.13]"), "exactly 2.1.13: ImageSharp 3 has a paid licence");
    }

    [Test]
    public void The_aspnetcore_package_depends_on_the_same_runtime_version_and_the_shared_framework()
    {
        using var nupkg = ZipFile.OpenRead(PackageFeed.Feed.Package(PackageFeed.AspNetCore));
        Assert.That(Dependencies(nupkg), Is.EquivalentTo(new Dictionary<string, string> { [PackageFeed.Library] = PackageFeed.Feed.Version }));
        Assert.That(Nuspec(nupkg).Descendants(Ns(nupkg) + "frameworkReference").Select(f => f.Attribute("name")?.Value), Is.EqualTo(new[] { "Microsoft.AspNetCore.App" }));
    }

    [TestCase(PackageFeed.Tool)]
    [TestCase(PackageFeed.Trainer)]
    public void The_tools_carry_onnx_runtime_for_each_desktop_and_server_platform_only(string tool)
    {
        using var nupkg = ZipFile.OpenRead(PackageFeed.Feed.Package(tool));
        Assert.That(Nuspec(nupkg).Descendants(Ns(nupkg) + "packageType").Select(t => t.Attribute("name")?.Value), Is.EqualTo(new[] { "DotnetTool" }));
        Assert.That(Entry(nupkg, "tools/net10.0/any/DotnetToolSettings.xml"), Does.Contain($"<Command Name=\"{tool}\""));
        var natives = nupkg.Entries.Select(e => e.FullName).Where(f => f.Contains("/runtimes/", StringComparison.Ordinal)).ToArray();
        foreach (string native in new[] { "linux-x64/native/libonnxruntime.so", "linux-arm64/native/libonnxruntime.so",
                     "win-x64/native/onnxruntime.dll", "win-arm64/native/onnxruntime.dll", "osx-arm64/native/libonnxruntime.dylib" })
        {
            Assert.That(natives, Has.Some.EndsWith(native));
        }
        Assert.That(natives, Has.None.Contains("/android/").And.None.Contains("/ios/").And.None.EndsWith(".lib"));
        long size = new FileInfo(PackageFeed.Feed.Package(tool)).Length;
        TestContext.Out.WriteLine($"{tool} package: {size / 1e6:F1} MB");
        Assert.That(size, Is.LessThan(80_000_000), "the tool package holds no mobile archives (it was 162 MB with them)");
    }

    private static XNamespace Ns(ZipArchive package) => Nuspec(package).Name.Namespace;

    private static XElement Nuspec(ZipArchive package) =>
        XDocument.Parse(Entry(package, package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).FullName)).Root!;

    private static Dictionary<string, string> Dependencies(ZipArchive package) =>
        Nuspec(package).Descendants(Ns(package) + "dependency").ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);

    private static string Entry(ZipArchive package, string name)
    {
        var entry = package.GetEntry(name);
        Assert.That(entry, Is.Not.Null, $"the package holds {name}");
        using var reader = new StreamReader(entry!.Open());
        return reader.ReadToEnd();
    }
}
