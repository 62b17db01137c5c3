// Build -> write -> parse gives back the same model: structure, attribute kinds and values, initializer values,
// symbolic dims and metadata, through a file (saved the one way files are saved: AtomicFile over ModelBuilder.Save)
// and through a stream. The models written pass onnx.checker; a save that fails midway keeps the model already there.
using Google.Protobuf;
using VaeOnnx.OnnxBuilder;
using VaeOnnx.OnnxBuilder.Proto;
using VaeOnnx.Runtime.Core.IO;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.OnnxBuilder;

[TestFixture]
public sealed class RoundTripTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("vaeonnx-builder-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void ModelSurvivesFileAndStreamRoundTrip()
    {
        float[] weight = SampleGraphs.Values(new Random(7), 6 * 3 * 3 * 3);
        ModelBuilder builder = EveryFeatureModel(weight);
        ModelProto built = builder.Build();
        string path = Path.Combine(_folder, "every_feature.onnx");
        AtomicFile.Write(path, builder.Save);
        using var stream = new MemoryStream();
        builder.Save(stream);

        ModelProto fromFile = OnnxFile.Read(path);
        ModelProto fromStream = OnnxFile.Read(new MemoryStream(stream.ToArray()));

        Assert.That(fromFile, Is.EqualTo(built));
        Assert.That(fromStream, Is.EqualTo(built));
        Assert.That(stream.ToArray(), Is.EqualTo(File.ReadAllBytes(path)));
        Assert.That(builder.ToBytes(), Is.EqualTo(File.ReadAllBytes(path)));

        // Model fields.
        Assert.That(fromFile.IrVersion, Is.EqualTo(8));
        Assert.That(fromFile.OpsetImport.Select(o => (o.Domain, o.Version)), Is.EqualTo(new[] { ("", 17L), ("vaeonnx.test", 1L) }));
        Assert.That(fromFile.ProducerName, Is.EqualTo("VaeOnnx"));
        Assert.That(fromFile.DocString, Is.EqualTo("round trip"));
        Assert.That(fromFile.MetadataProps.Select(p => (p.Key, p.Value)),
            Is.EqualTo(new[] { ("image_shape", "3,8,8"), ("latent", "5") }), "metadata keeps its order; a reset value keeps its place");

        // Graph inputs with symbolic and fixed dims.
        GraphProto graph = fromFile.Graph;
        TensorShapeProto inputShape = graph.Input[0].Type.TensorType.Shape;
        Assert.That(inputShape.Dim[0].ValueCase, Is.EqualTo(TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam));
        Assert.That(inputShape.Dim[0].DimParam, Is.EqualTo("N"));
        Assert.That(inputShape.Dim.Skip(1).Select(d => d.DimValue), Is.EqualTo(new long[] { 3, 8, 8 }));

        // Nodes in order, with generated names and outputs.
        Assert.That(graph.Node.Select(n => n.OpType), Is.EqualTo(new[]
        {
            "Conv", "LeakyRelu", "ConvTranspose", "Flatten", "Gemm", "MatMul", "Exp", "Mul", "Add", "Sub", "Div",
            "Relu", "Tanh", "Sigmoid", "Identity", "Transpose", "Transpose", "Concat", "Cast", "Reshape", "Everything",
        }));
        Assert.That(graph.Node[0].Name, Is.EqualTo("Conv_0"));
        Assert.That(graph.Node[0].Output[0], Is.EqualTo("Conv_0_output_0"));

        // Typed attributes: kernel_shape inferred from the weight initializer, attributes sorted by name.
        NodeProto conv = graph.Node[0];
        Assert.That(conv.Attribute.Select(a => a.Name), Is.EqualTo(new[] { "group", "kernel_shape", "pads", "strides" }));
        Assert.That(Ints(conv, "kernel_shape"), Is.EqualTo(new long[] { 3, 3 }));
        Assert.That(Attr(conv, "group").I, Is.EqualTo(1));
        Assert.That(Attr(graph.Node[1], "alpha").F, Is.EqualTo(0.2f));
        Assert.That(Ints(graph.Node[2], "output_padding"), Is.EqualTo(new long[] { 1, 1 }));
        NodeProto gemm = graph.Node[4];
        Assert.That(Attr(gemm, "transB").I, Is.EqualTo(1));
        Assert.That(Attr(gemm, "alpha").F, Is.EqualTo(0.5f));
        Assert.That(Attr(gemm, "beta").Type, Is.EqualTo(AttributeProto.Types.AttributeType.Float));

        // Generic node: every attribute kind.
        NodeProto everything = graph.Node[^1];
        Assert.That(everything.Domain, Is.EqualTo("vaeonnx.test"));
        Assert.That(Attr(everything, "f").F, Is.EqualTo(1.5f));
        Assert.That(Attr(everything, "i").I, Is.EqualTo(-3));
        Assert.That(Attr(everything, "s").S.ToStringUtf8(), Is.EqualTo("héllo"));
        Assert.That(Attr(everything, "floats").Floats, Is.EqualTo(new[] { 0.25f, -1f }));
        Assert.That(Ints(everything, "ints"), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That(Attr(everything, "strings").Strings.Select(s => s.ToStringUtf8()), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(TensorData.ToFloats(Attr(everything, "t").T), Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(Attr(everything, "t").Type, Is.EqualTo(AttributeProto.Types.AttributeType.Tensor));

        // Initializers: raw little-endian data decodes to exactly what went in.
        TensorProto w = graph.Initializer.Single(t => t.Name == "conv.weight");
        Assert.That(w.Dims, Is.EqualTo(new long[] { 6, 3, 3, 3 }));
        Assert.That(w.HasRawData && w.FloatData.Count == 0, "weights are stored as raw_data");
        float[] decoded = TensorData.ToFloats(w);
        float largest = decoded.Zip(weight, (a, b) => Math.Abs(a - b)).Max();
        TestContext.Out.WriteLine($"conv.weight round trip: largest difference {largest} (tolerance 0: bit-exact)");
        Assert.That(decoded, Is.EqualTo(weight));
        TensorProto shape = graph.Initializer.Single(t => t.Name == "Reshape_19_shape");
        Assert.That(TensorData.ToInt64s(shape), Is.EqualTo(new long[] { -1, 5, 1, 1 }));

        OnnxChecker.AssertValid(path);
    }

    [Test]
    public void SavingOverAnExistingModelReplacesIt()
    {
        string path = Path.Combine(_folder, "model.onnx");
        AtomicFile.Write(path, SampleGraphs.GemmSigmoidDecoder(seed: 1).Save);
        AtomicFile.Write(path, SampleGraphs.GemmSigmoidDecoder(seed: 2).Save);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(SampleGraphs.GemmSigmoidDecoder(seed: 2).Build().ToByteArray()));
        Assert.That(Directory.GetFiles(_folder), Has.Length.EqualTo(1));
    }

    [Test]
    public void ASaveFailingMidwayKeepsTheSavedModelAndLeavesNoTemporary()
    {
        string path = Path.Combine(_folder, "model.onnx");
        AtomicFile.Write(path, SampleGraphs.GemmSigmoidDecoder(seed: 1).Save);
        byte[] saved = File.ReadAllBytes(path);
        ModelBuilder next = SampleGraphs.GemmSigmoidDecoder(seed: 2);
        int half = next.ToBytes().Length / 2;

        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream => next.Save(new FailingStream(stream, half))));

        Assert.That(e!.Message, Is.EqualTo(FailingStream.Message));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(saved));
        Assert.That(OnnxFile.Read(path), Is.EqualTo(SampleGraphs.GemmSigmoidDecoder(seed: 1).Build()));
        Assert.That(Directory.GetFileSystemEntries(_folder), Is.EqualTo(new[] { path }), "no temporary file may be left behind");
    }

    [Test]
    public void ReadingSomethingElseSaysSo()
    {
        string path = Path.Combine(_folder, "not_a_model.onnx");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
        var e = Assert.Throws<InvalidDataException>(() => OnnxFile.Read(path))!;
        TestContext.Out.WriteLine(e.Message);
        Assert.That(e.Message, Does.Contain("not_a_model.onnx").And.Contain("not an ONNX model"));
    }

    /// <summary>
    /// x (N, 3, 8, 8) -> Conv (6, 3x3, s2) -> LeakyRelu -> ConvTranspose -> ... -> y (N, 5), plus a custom-domain node
    /// carrying every attribute kind, as a second output.
    /// </summary>
    private static ModelBuilder EveryFeatureModel(float[] convWeight)
    {
        var random = new Random(11);
        var g = new GraphBuilder("every_feature") { DocString = "every helper once" };
        string x = g.Input("x", ElementType.Float, "N", 3, 8, 8);
        string w = g.Initializer("conv.weight", convWeight, 6, 3, 3, 3);
        string wt = g.Initializer("deconv.weight", SampleGraphs.Values(random, 6 * 2 * 3 * 3), 6, 2, 3, 3);
        string fc = g.Initializer("fc.weight", SampleGraphs.Values(random, 5 * 128), 5, 128);
        string fcBias = g.Initializer("fc.bias", SampleGraphs.Values(random, 5), 5);
        string square = g.Initializer("square", SampleGraphs.Values(random, 25), 5, 5);

        string h = g.Conv(x, w, strides: [2, 2], pads: [1, 1, 1, 1], group: 1);                       // (N, 6, 4, 4)
        h = g.LeakyRelu(h, alpha: 0.2f);
        h = g.ConvTranspose(h, wt, strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1]);     // (N, 2, 8, 8)
        h = g.Flatten(h);                                                                           // (N, 128)
        h = g.Gemm(h, fc, fcBias, alpha: 0.5f, beta: 1f, transB: true);                             // (N, 5)
        string m = g.MatMul(h, square);
        string e = g.Mul(g.Exp(m), h);
        string s = g.Div(g.Sub(g.Add(e, h), m), square);                                            // (5, 5) broadcast -> (N, 5)
        s = g.Identity(g.Sigmoid(g.Tanh(g.Relu(s))));
        s = g.Transpose(g.Transpose(s, perm: [1, 0]));
        s = g.Concat([s], axis: 1);
        s = g.Cast(s, ElementType.Float);
        g.Output(g.Reshape(s, [-1, 5, 1, 1], output: "y"), ElementType.Float, "N", 5, 1, 1);

        var tensor = TensorData.FromFloats("", [1f, 2f], [2]);
        string extra = g.Node("Everything", [x], new Dictionary<string, AttributeValue>
        {
            ["s"] = "héllo", ["i"] = -3, ["f"] = 1.5f, ["floats"] = new[] { 0.25f, -1f }, ["ints"] = new long[] { 1, 2, 3 },
            ["strings"] = new[] { "a", "b" }, ["t"] = tensor,
        }, output: "extra", domain: "vaeonnx.test");
        g.Output(extra, ElementType.Float, "N", 3, 8, 8);

        return new ModelBuilder(g) { DocString = "round trip" }
            .ImportOpset("vaeonnx.test", 1)
            .SetMetadata("image_shape", "3,8,8")
            .SetMetadata("latent", "4")
            .SetMetadata("latent", "5");
    }

    private static AttributeProto Attr(NodeProto node, string name) => node.Attribute.Single(a => a.Name == name);

    private static long[] Ints(NodeProto node, string name) => Attr(node, name).Ints.ToArray();
}
