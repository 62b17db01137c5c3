// The reference check (ReferenceCheck: what it reads and the forms it checks are in its header) over the whole
// repository, and proof that it can fail: planted bad links, anchors, file names and members in synthetic files are
// each reported with file:line and the missing target, and the good ones beside them are not.
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.Repository;

public sealed class ReferenceCheckTests
{
    [Test]
    public void Every_link_file_name_and_member_named_in_the_repository_exists()
    {
        string root = RepositoryPaths.Root;
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var others = new List<string>();
        foreach (string path in RepositoryFiles.All)
        {
            if (ReferenceCheck.Reads(path))
            {
                texts[path] = File.ReadAllText(Path.Combine(root, path));
            }
            else
            {
                others.Add(path);
            }
        }
        string shared = Path.Combine(root, "..", "shared");
        if (Directory.Exists(shared))
        {
            others.AddRange(Directory.EnumerateFiles(shared, "*", SearchOption.AllDirectories)
                .Select(f => "../shared/" + Path.GetRelativePath(shared, f).Replace('\\', '/')));
        }

        IReadOnlyList<ReferenceFinding> findings = new ReferenceCheck(texts, others).Run();

        Assert.That(texts.Keys.Count(p => p.EndsWith(".cs", StringComparison.Ordinal)), Is.GreaterThan(300), "the check read the C# files");
        Assert.That(findings, Is.Empty, "references that do not resolve (see tests/Repository/ReferenceCheck.cs for the forms checked):\n" +
            string.Join("\n", findings));
    }

    [Test]
    public void Planted_bad_references_are_each_reported_with_file_and_line()
    {
        var texts = new Dictionary<string, string>
        {
            ["docs/README.md"] = """
                # Guide

                ## Getting started
                See [the code](../src/Widget.cs), [a folder](../src/), [this part](#getting-started) and [there](other.md#usage).
                Broken: [gone](../src/Gone.cs), [bad anchor](other.md#nowhere), [self](#missing).
                In code spans: `Widget.Spin` is fine, `Widget.Fly` is not, `src/Widget.cs` exists, `src/Nothing.cs` does not.
                [ref]: ../src/Missing.md
                ```
                [not a link](inside/a/fence.md) `Widget.Ignored`
                ```
                """,
            ["docs/other.md"] = "## Usage\n",
            ["src/Widget.cs"] = """
                // A widget. See Widget.Spin and Gadget.Size, Widget.Jump (gone), ../docs/README.md and Missing.cs.
                namespace Sample;

                public class Widget : Gadget
                {
                    /// <summary>Spins; see <see cref="Widget.Twirl"/>.</summary>
                    public void Spin() { string s = "// Widget.Nope is in a string, not a comment"; }
                }

                public abstract class Gadget
                {
                    public int Size { get; }
                }

                public enum Colour { Red, Green }
                /* Colour.Red exists, Colour.Blue does not. */
                """,
            ["build.props"] = "<Project>\n  <!-- Built from src/Widget.cs and\n       src/Absent.cs -->\n</Project>\n",
        };

        var findings = new ReferenceCheck(texts, []).Run().Select(f => f.ToString()).ToArray();
        TestContext.Out.WriteLine(string.Join("\n", findings));

        Assert.That(findings, Is.EquivalentTo(new[]
        {
            "build.props:3: names the file src/Absent.cs, which is not there (relative to this file's folder or one above it); write its current path",
            "docs/README.md:5: the link (../src/Gone.cs) points to src/Gone.cs, which does not exist; link to the file's current path",
            "docs/README.md:5: the link (other.md#nowhere) names the anchor #nowhere, which no heading of docs/other.md makes; its anchors are usage",
            "docs/README.md:5: the link (#missing) names the anchor #missing, which no heading of docs/README.md makes; its anchors are getting-started, guide",
            "docs/README.md:6: names Widget.Fly, but Widget (src/Widget.cs) declares no Fly; name the type that declares it (an extension method's class, the member's new owner)",
            "docs/README.md:6: names the file src/Nothing.cs, which is not there (relative to this file's folder or one above it); write its current path",
            "docs/README.md:7: the link (../src/Missing.md) points to src/Missing.md, which does not exist; link to the file's current path",
            "src/Widget.cs:1: names the file Missing.cs, which is not anywhere in the repository; write its current path",
            "src/Widget.cs:1: names Widget.Jump, but Widget (src/Widget.cs) declares no Jump; name the type that declares it (an extension method's class, the member's new owner)",
            "src/Widget.cs:6: names Widget.Twirl, but Widget (src/Widget.cs) declares no Twirl; name the type that declares it (an extension method's class, the member's new owner)",
            "src/Widget.cs:16: names Colour.Blue, but Colour (src/Widget.cs) declares no Blue; name the type that declares it (an extension method's class, the member's new owner)",
        }));
    }
}
