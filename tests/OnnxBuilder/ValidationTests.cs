// Each validation rule fires on a graph that breaks it, before anything is written, and its message names the
// culprit. Every case starts from a small valid graph, so the only fault is the one under test.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.OnnxBuilder.Proto;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Tests.OnnxBuilder;

[TestFixture]
public sealed class ValidationTests
{
    [Test]
    public void TheBaseGraphIsValid() => Assert.DoesNotThrow(() => new ModelBuilder(BaseGraph()).Build());

    [Test]
    public void InputThatNothingProducesNamesNodeAndValue()
    {
        var g = BaseGraph();
        g.Add("h", "ghost", output: "sum");
        AssertFails(g, ValidationRule.UnproducedInput, "Add_2", "'ghost'");
    }

    [Test]
    public void NameDefinedTwiceNamesTheValueAndBothDefiners()
    {
        var g = BaseGraph();
        g.Relu("x", output: "h");
        var e = AssertFails(g, ValidationRule.DuplicateName, "h", "'h'");
        Assert.That(e.Message, Does.Contain("Relu_0").And.Contain("Relu_2"));
    }

    [Test]
    public void InitializerWithTheNameOfAnInputIsDefinedTwice()
    {
        var g = BaseGraph();
        g.Initializer("x", [1f, 2f], 2);
        AssertFails(g, ValidationRule.DuplicateName, "x", "graph input 'x'");
    }

    [Test]
    public void GraphOutputNeverProducedIsNamed()
    {
        var g = BaseGraph();
        g.Output("missing_output", ElementType.Float, "N", 3);
        AssertFails(g, ValidationRule.UnproducedOutput, "missing_output", "'missing_output'");
    }

    [Test]
    public void InitializerDataLengthMustMatchItsDims()
    {
        var g = BaseGraph();
        g.Initializer("too_short", [1f, 2f, 3f], 2, 2);
        var e = AssertFails(g, ValidationRule.InitializerSizeMismatch, "too_short", "'too_short'");
        Assert.That(e.Message, Does.Contain("[2, 2]").And.Contain("4 values").And.Contain("holds 3"));
    }

    [Test]
    public void TypedDataLengthIsCheckedToo()
    {
        var g = BaseGraph();
        var tensor = new TensorProto { Name = "typed", DataType = (int)ElementType.Int64 };
        tensor.Dims.Add(3);
        tensor.Int64Data.Add([1L, 2L]);
        g.Initializer(tensor);
        var e = AssertFails(g, ValidationRule.InitializerSizeMismatch, "typed", "'typed'");
        Assert.That(e.Message, Does.Contain("int64_data"));
    }

    [Test]
    public void KnownOperatorWithoutItsRequiredAttributeIsNamed()
    {
        var g = BaseGraph();
        g.Node("Cast", ["h"], output: "cast");
        var e = AssertFails(g, ValidationRule.MissingRequiredAttribute, "Cast_2", "'to'");
        Assert.That(e.Message, Does.Contain("Cast"));
    }

    [Test]
    public void GenericNodeCanDeclareRequiredAttributes()
    {
        var g = BaseGraph();
        g.Node("Frobnicate", ["h"], new Dictionary<string, AttributeValue> { ["depth"] = 2 },
            output: "f1", domain: "vaeonnx.test", requiredAttributes: ["depth", "mode"]);
        AssertFails(g, ValidationRule.MissingRequiredAttribute, "Frobnicate_2", "'mode'");
    }

    [Test]
    public void NodeReadingALaterNodesOutputIsNotTopological()
    {
        var g = BaseGraph();
        g.Relu("later", output: "early");
        g.Relu("h", output: "later");
        var e = AssertFails(g, ValidationRule.NotTopologicallySorted, "Relu_2", "'later'");
        Assert.That(e.Message, Does.Contain("Relu_3").And.Contain("topological"));
    }

    [Test]
    public void GraphInputWithoutShapeIsRejected()
    {
        var model = new ModelBuilder(BaseGraph()).Build();
        model.Graph.Input[0].Type.TensorType.Shape = null;
        var e = Assert.Throws<OnnxValidationException>(() => OnnxFile.ToBytes(model))!;
        Report(e);
        Assert.That(e.Rule, Is.EqualTo(ValidationRule.MissingValueType));
        Assert.That(e.Message, Does.Contain("'x'").And.Contain("shape"));
    }

    [Test]
    public void DuplicateMetadataKeyIsRejected()
    {
        var model = new ModelBuilder(BaseGraph()).Build();
        model.MetadataProps.Add(new StringStringEntryProto { Key = "k", Value = "1" });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "k", Value = "2" });
        var e = Assert.Throws<OnnxValidationException>(() => OnnxFile.ToBytes(model))!;
        Report(e);
        Assert.That(e.Rule, Is.EqualTo(ValidationRule.MalformedModel));
        Assert.That(e.Subject, Is.EqualTo("k"));
    }

    [Test]
    public void FailedValidationWritesNothingAndKeepsTheSavedModel()
    {
        string folder = Directory.CreateTempSubdirectory("vaeonnx-builder-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.onnx");
            AtomicFile.Write(path, new ModelBuilder(BaseGraph()).Save);
            byte[] saved = File.ReadAllBytes(path);

            var broken = BaseGraph();
            broken.Relu("ghost", output: "y2");
            Assert.Throws<OnnxValidationException>(() => AtomicFile.Write(path, new ModelBuilder(broken).Save));

            Assert.That(File.ReadAllBytes(path), Is.EqualTo(saved));
            Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }), "no temporary file may be left behind");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>x (N, 3) -> Relu -> h -> Sigmoid -> y (N, 3).</summary>
    private static GraphBuilder BaseGraph()
    {
        var g = new GraphBuilder("base");
        string x = g.Input("x", ElementType.Float, "N", 3);
        string h = g.Relu(x, output: "h");
        g.Output(g.Sigmoid(h, output: "y"), ElementType.Float, "N", 3);
        return g;
    }

    private static OnnxValidationException AssertFails(GraphBuilder graph, ValidationRule rule, string subject, string inMessage)
    {
        var e = Assert.Throws<OnnxValidationException>(() => new ModelBuilder(graph).Build())!;
        Report(e);
        Assert.That(e.Rule, Is.EqualTo(rule));
        Assert.That(e.Subject, Is.EqualTo(subject));
        Assert.That(e.Message, Does.Contain(inMessage));
        Assert.Throws<OnnxValidationException>(() => graph.Build(), "GraphBuilder.Build validates the same way");
        return e;
    }

    private static void Report(OnnxValidationException e) => TestContext.Out.WriteLine($"{e.Rule} [{e.Subject}]: {e.Message}");
}
