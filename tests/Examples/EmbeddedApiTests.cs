// The embedding example (tests/Examples/EmbeddedApi: the core library in an ASP.NET Core minimal API) builds as a
// project of its own, and the README's embedding snippet is that program's code, verbatim.
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Examples;

[TestFixture]
public sealed class EmbeddedApiTests
{
    private static string ProgramPath => Path.Combine(RepositoryPaths.Root, "tests", "Examples", "EmbeddedApi", "Program.cs");

    [Test]
    public void The_example_builds()
    {
        using var artifacts = new TemporaryFolder("vaeonnx-example");
        var output = DotnetCommand.Succeed(artifacts.Path, TimeSpan.FromMinutes(5),
            "build", "tests/Examples/EmbeddedApi/EmbeddedApi.csproj", "-c", "Release", "-nologo");
        TestContext.Out.WriteLine(output);
        Assert.That(Directory.GetFiles(artifacts.Path, "EmbeddedApi.dll", SearchOption.AllDirectories), Is.Not.Empty);
    }

    [Test]
    public void The_readme_embedding_snippet_is_the_example_program()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "runtime", "README.md")).ReplaceLineEndings("\n");
        var program = File.ReadAllText(ProgramPath).ReplaceLineEndings("\n").TrimEnd();
        Assert.That(readme, Does.Contain("```csharp\n" + program + "\n```"), "runtime/README.md must quote tests/Examples/EmbeddedApi/Program.cs verbatim");
    }
}
