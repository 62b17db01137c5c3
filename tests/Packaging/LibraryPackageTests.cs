// VaeOnnx.Runtime taken as a user takes it: from a feed, by version, in projects outside the repository. The package
// README's program (tests/Examples/QuickStart) decodes z with models/mnist-conv to exactly the values the repository's
// runtime gives, and samples the same picture; runtime/README.md's minimal API (tests/Examples/EmbeddedApi) answers
// with the same PNGs; the GPU swap PACKAGE.md describes restores the CUDA build and not the CPU one.
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Packaging;

[TestFixture]
public sealed class LibraryPackageTests
{
    private static readonly float[] Z = [0.5f, -1f, 0.25f, 2f, -0.75f, 0f, 1.5f, -2f, 0.1f, -0.3f, 0.9f, -1.2f, 0.6f, 0f, -0.05f, 1f];

    private static string MnistConv => Path.Combine(RepositoryPaths.Root, "models", "mnist-conv");

    [Test]
    public void The_examples_reference_the_version_the_repository_builds()
    {
        Assert.That(ConsumerWorkspace.ReferencedVersion("QuickStart", PackageFeed.Library), Is.EqualTo(PackageFeed.VersionPrefix));
        Assert.That(ConsumerWorkspace.ReferencedVersion("EmbeddedApi", PackageFeed.Library), Is.EqualTo(PackageFeed.VersionPrefix));
        Assert.That(ConsumerWorkspace.ReferencedVersion("ServingApi", PackageFeed.AspNetCore), Is.EqualTo(PackageFeed.VersionPrefix));
    }

    [Test]
    public void The_readmes_quote_the_example_programs()
    {
        ReadmeQuotes(Path.Combine("runtime", "Core", "PACKAGE.md"), "QuickStart");
        ReadmeQuotes(Path.Combine("runtime", "README.md"), "EmbeddedApi");
    }

    [Test]
    public void The_quick_start_decodes_z_to_the_values_the_repository_runtime_gives()
    {
        var workspace = ConsumerWorkspace.Instance;
        using var run = new TemporaryFolder("vaeonnx-quickstart");
        string zText = string.Join(',', Z.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        var (code, output) = DotnetCommand.Run(run.Path, TimeSpan.FromMinutes(1), ConsumerWorkspace.CommandEnvironment,
            workspace.Assembly("QuickStart"), MnistConv, zText);
        Assert.That(code, Is.Zero, output);
        float[] packaged = output.Trim().Split(' ').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

        using var model = VaeModel.Load(MnistConv);
        ImageBatch expected = model.Decode(Z, 1);
        double largest = packaged.Zip(expected.Values, (a, b) => Math.Abs((double)a - b)).DefaultIfEmpty(double.NaN).Max();
        TestContext.Out.WriteLine($"{packaged.Length} values; largest difference from the repository's VaeModel.Decode: {largest:G3} (tolerance 0)");
        Assert.That(packaged, Has.Length.EqualTo(expected.Values.Length));
        Assert.That(packaged, Is.EqualTo(expected.Values), "the package decodes exactly as the repository's runtime");
        Assert.That(File.ReadAllBytes(run.File("decoded.png")), Is.EqualTo(expected.ToPng(0)));
        Assert.That(File.ReadAllBytes(run.File("samples.png")), Is.EqualTo(ImageFile.EncodePng(model.Sample(16, 1).ToGrid())));
    }

    [Test]
    public async Task The_embedded_minimal_api_answers_with_the_repository_runtimes_pictures()
    {
        using var server = await ConsumerWorkspace.Instance.StartAsync("EmbeddedApi", "/sample?count=1", new Dictionary<string, string>(), "--Model", MnistConv);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var model = VaeModel.Load(MnistConv);

        byte[] samples = await client.GetByteArrayAsync("/sample?count=4&seed=3");
        Assert.That(samples, Is.EqualTo(ImageFile.EncodePng(model.Sample(4, 3).ToGrid())));

        using var decode = await client.PostAsync("/decode", new StringContent(JsonSerializer.Serialize(new[] { Z }), null, "application/json"));
        Assert.That((int)decode.StatusCode, Is.EqualTo(200), await decode.Content.ReadAsStringAsync());
        Assert.That(await decode.Content.ReadAsByteArrayAsync(), Is.EqualTo(model.Decode(Z, 1).ToPng(0)));
    }

    [Test]
    public void The_gpu_swap_in_the_package_readme_restores_the_cuda_build_only()
    {
        var feed = PackageFeed.Feed;
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "runtime", "Core", "PACKAGE.md"));
        var snippet = Regex.Match(readme, "```xml\n(?<items>(?:.*\n)*?)```");
        Assert.That(snippet.Success, Is.True, "runtime/Core/PACKAGE.md shows the GPU project lines in an ```xml block");
        string items = snippet.Groups["items"].Value.Replace($"Version=\"{PackageFeed.VersionPrefix}\"", $"Version=\"{feed.Version}\"");

        // Into the machine's cache: the GPU packages (about 400 MB) are fetched once for this and GpuFlavourTests. Only
        // this run's own VaeOnnx.Runtime is taken out of it again.
        using var project = new TemporaryFolder("vaeonnx-gpu-consumer");
        File.WriteAllText(project.File("nuget.config"), ConsumerWorkspace.NuGetConfig(feed.Folder, ownPackagesFolder: false));
        using var cleanup = new CacheEntry(Path.Combine(ConsumerWorkspace.MachinePackages, PackageFeed.Library.ToLowerInvariant(), feed.Version.ToLowerInvariant()));
        File.WriteAllText(project.File("GpuApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
            {items}  </ItemGroup>
            </Project>
            """);
        var (code, output) = DotnetCommand.Run(project.Path, TimeSpan.FromMinutes(3), ConsumerWorkspace.CommandEnvironment, "restore", "-nologo");
        Assert.That(code, Is.Zero, output);

        // What the build copies for linux-x64: the native files of every package in the assets file's target.
        using var assets = JsonDocument.Parse(File.ReadAllBytes(project.File(Path.Combine("obj", "project.assets.json"))));
        var natives = new List<string>();
        foreach (var package in assets.RootElement.GetProperty("targets").GetProperty("net10.0").EnumerateObject())
        {
            if (!package.Value.TryGetProperty("runtimeTargets", out var targets)) continue;
            foreach (var file in targets.EnumerateObject())
            {
                if (file.Name.Contains("linux-x64/native/libonnxruntime.so", StringComparison.Ordinal)) natives.Add(package.Name);
            }
        }
        TestContext.Out.WriteLine($"libonnxruntime.so for linux-x64 comes from: {string.Join(", ", natives)}");
        Assert.That(natives, Has.Count.EqualTo(1));
        Assert.That(natives[0], Does.StartWith("Microsoft.ML.OnnxRuntime.Gpu.Linux/"));
    }

    private sealed record CacheEntry(string Folder) : IDisposable
    {
        public void Dispose() => PackageFeed.Delete(Folder);
    }

    internal static void ReadmeQuotes(string readmePath, string example)
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, readmePath)).ReplaceLineEndings("\n");
        string program = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Examples", example, "Program.cs")).ReplaceLineEndings("\n").TrimEnd();
        Assert.That(readme, Does.Contain("```csharp\n" + program + "\n```"), $"{readmePath} must quote tests/Examples/{example}/Program.cs verbatim");
    }
}
