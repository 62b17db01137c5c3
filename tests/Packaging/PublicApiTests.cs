// The public surface of the two libraries is a decision, written down and enforced: every exported type is listed in
// its project's PublicAPI.Shipped.txt or PublicAPI.Unshipped.txt (Microsoft.CodeAnalysis.PublicApiAnalyzers fails the
// build on any member missing there, so this guards that the analyzer stays on), the ASP.NET Core library exports only
// what an embedding app calls, and neither library opens its internals to anything but the tests: the host
// (vaeonnx-runtime) and the trainer build on the public API alone, like any user's app.
using System.Reflection;
using System.Runtime.CompilerServices;
using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Packaging;

[TestFixture]
public sealed class PublicApiTests
{
    private static IEnumerable<TestCaseData> Libraries()
    {
        yield return new TestCaseData(typeof(VaeModel).Assembly, "runtime/Core").SetName("VaeOnnx.Runtime.Core");
        yield return new TestCaseData(typeof(VaeServingOptions).Assembly, "runtime/AspNetCore").SetName("VaeOnnx.Runtime.AspNetCore");
    }

    [TestCaseSource(nameof(Libraries))]
    public void Every_exported_type_is_in_the_public_api_files(Assembly library, string project)
    {
        var declared = new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" }
            .SelectMany(file => File.ReadAllLines(Path.Combine(RepositoryPaths.Root, project, file)))
            .ToHashSet(StringComparer.Ordinal);
        Assert.That(declared, Does.Contain("#nullable enable"));
        string[] exported = library.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.')).Order(StringComparer.Ordinal).ToArray();
        TestContext.Out.WriteLine($"{library.GetName().Name}: {exported.Length} public types, {declared.Count - 1} declared API lines");
        Assert.That(exported.Where(type => !declared.Contains(type)), Is.Empty, $"add them to {project}/PublicAPI.Unshipped.txt");
    }

    [Test]
    public void The_aspnetcore_library_exports_only_what_an_embedding_app_calls()
    {
        string[] exported = typeof(VaeServingOptions).Assembly.GetExportedTypes().Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.That(exported, Is.EqualTo(new[]
        {
            "IVaeInference", "ModelHost", "ModelState", "VaeModelInference", "VaeModelLoader",
            "VaeServingExtensions", "VaeServingOptions", "VaeUiExtensions",
        }));
    }

    [TestCaseSource(nameof(Libraries))]
    public void Only_the_tests_see_the_internals(Assembly library, string project)
    {
        var friends = library.GetCustomAttributes<InternalsVisibleToAttribute>().Select(a => a.AssemblyName).ToArray();
        Assert.That(friends, Is.EqualTo(new[] { "VaeOnnx.Tests" }), $"{project} opens its internals only to the tests");
    }
}
