// The trainer's top-level folders (Models, Engine, Training, Runs, Cli, ...) form no cycle of references, so each can
// be read, tested and moved with only the folders below it (NamespaceGraph reads the references from the sources).
// The analysis can fail: synthetic sources with a planted cycle, through each kind of reference, are caught.
using VaeOnnx.Tests.Repository;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Trainer;

public sealed class FolderCycleTests
{
    [Test]
    public void The_trainers_top_level_folders_form_no_cycle()
    {
        var files = RepositoryFiles.All
            .Where(p => p.StartsWith("trainer/", StringComparison.Ordinal) && p.EndsWith(".cs", StringComparison.Ordinal))
            .Select(p =>
            {
                string[] parts = p.Split('/');
                return (Folder: parts.Length > 2 ? parts[1] : "", Path: p, Text: File.ReadAllText(Path.Combine(RepositoryPaths.Root, p)));
            })
            .ToList();
        var graph = new NamespaceGraph("VaeOnnx.Trainer", files);

        Assert.That(graph.Folders, Is.SupersetOf(new[] { "Cli", "Engine", "Models", "Runs", "Training" }));
        Assert.That(graph.Edges.Any(e => e is { From: "Models", To: "Engine" }), "the graph sees the references (Models builds on Engine)");
        TestContext.Out.WriteLine(string.Join("\n", graph.Edges.OrderBy(e => e.From).ThenBy(e => e.To).Select(e => $"{e.From} -> {e.To}")));
        var cycles = graph.Cycles();
        Assert.That(cycles, Is.Empty, "cycles among trainer's folders (each edge with one reference that makes it):\n" + string.Join("\n", cycles.Select(graph.Explain)));
    }

    [TestCase("using VaeOnnx.Trainer.Alpha;\nnamespace VaeOnnx.Trainer.Beta;\nclass Two { One? x; }", TestName = "A planted cycle through a using directive is found")]
    [TestCase("namespace VaeOnnx.Trainer.Beta;\nclass Two { VaeOnnx.Trainer.Alpha.One? x; }", TestName = "A planted cycle through a fully qualified name is found")]
    [TestCase("namespace VaeOnnx.Trainer.Beta;\nclass Two { Alpha.One? x; }", TestName = "A planted cycle through a folder-qualified name is found")]
    [TestCase("using static VaeOnnx.Trainer.Alpha.One;\nnamespace VaeOnnx.Trainer.Beta;\nclass Two { }", TestName = "A planted cycle through a using static is found")]
    [TestCase("namespace VaeOnnx.Trainer.Beta;\nclass Two { }", TestName = "A planted cycle through a global using at the root is found")]
    public void Planted_cycles_are_found(string beta)
    {
        var files = new[]
        {
            (Folder: "Alpha", Path: "Alpha/One.cs", Text: "using VaeOnnx.Trainer.Beta;\nnamespace VaeOnnx.Trainer.Alpha;\npublic class One { Two? y; }"),
            (Folder: "Beta", Path: "Beta/Two.cs", Text: beta),
            (Folder: "Gamma", Path: "Gamma/Three.cs", Text: "using VaeOnnx.Trainer.Alpha;\nnamespace VaeOnnx.Trainer.Gamma;\nclass Three { }"),
            (Folder: "", Path: "Usings.cs", Text: beta.Contains("using", StringComparison.Ordinal) || beta.Contains("Alpha", StringComparison.Ordinal) ? "" : "global using VaeOnnx.Trainer.Alpha;"),
        };
        var graph = new NamespaceGraph("VaeOnnx.Trainer", files);
        var cycles = graph.Cycles();
        Assert.That(cycles, Has.Count.EqualTo(1));
        Assert.That(cycles[0], Is.EquivalentTo(new[] { "Alpha", "Beta" }));
        Assert.That(graph.Explain(cycles[0]), Does.Contain("Alpha -> Beta (Alpha/One.cs:1").And.Contain("Beta -> Alpha ("));
    }

    [Test]
    public void References_in_comments_and_strings_and_within_a_folder_are_not_edges()
    {
        var files = new[]
        {
            (Folder: "Alpha", Path: "Alpha/One.cs", Text: "using VaeOnnx.Trainer.Beta;\nnamespace VaeOnnx.Trainer.Alpha;\npublic class One { }"),
            (Folder: "Beta", Path: "Beta/Two.cs", Text: "// see VaeOnnx.Trainer.Alpha.One and Alpha.One\nnamespace VaeOnnx.Trainer.Beta.Inner;\nclass Two { string s = \"Alpha.One\"; VaeOnnx.Trainer.Beta.Two? t; }"),
        };
        var graph = new NamespaceGraph("VaeOnnx.Trainer", files);
        Assert.That(graph.Edges.Select(e => (e.From, e.To)), Is.EqualTo(new[] { ("Alpha", "Beta") }));
        Assert.That(graph.Cycles(), Is.Empty);
    }
}
