// Every model shape the builder is meant for passes onnx.checker with full_check (strict shape inference), and the
// checker helper itself reports a model that is well-formed for our validator but wrong for ONNX.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.Runtime.Core.IO;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.OnnxBuilder;

[TestFixture]
public sealed class CheckerTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("vaeonnx-builder-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void ConvEncoderDecoderAndGemmDecoderWithSymbolicBatchPassTheChecker()
    {
        string encoder = Path.Combine(_folder, "encoder.onnx");
        string decoder = Path.Combine(_folder, "decoder.onnx");
        string gemm = Path.Combine(_folder, "gemm_decoder.onnx");
        AtomicFile.Write(encoder, SampleGraphs.ConvEncoder().Save);
        AtomicFile.Write(decoder, SampleGraphs.ConvDecoder().Save);
        AtomicFile.Write(gemm, SampleGraphs.GemmSigmoidDecoder().Save);

        OnnxChecker.AssertValid(encoder, decoder, gemm);

        var read = OnnxFile.Read(encoder);
        Assert.That(read.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam, Is.EqualTo("N"));
        Assert.That(read.Graph.Node.Select(n => n.OpType),
            Is.EqualTo(new[] { "Conv", "Relu", "Conv", "LeakyRelu", "Flatten", "Gemm", "Gemm" }));
    }

    [Test]
    public void CheckerReportsAShapeErrorOurValidatorCannotSee()
    {
        // Gemm with weight (out, in) = (3, 4) makes (N, 3), but the output claims (N, 7): structurally fine, wrong for ONNX.
        var g = new GraphBuilder("bad_gemm");
        string x = g.Input("x", ElementType.Float, "N", 4);
        string w = g.Initializer("w", new float[12], 3, 4);
        g.Output(g.Gemm(x, w, transB: true, output: "y"), ElementType.Float, "N", 7);
        string path = Path.Combine(_folder, "bad_gemm.onnx");
        AtomicFile.Write(path, new ModelBuilder(g).Save);

        IReadOnlyList<string> failures = OnnxChecker.Check(path);

        TestContext.Out.WriteLine(string.Join("\n", failures));
        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(failures[0], Does.Contain("bad_gemm.onnx").And.Contain("Gemm").And.Contain("(3) vs (7)"));
    }
}
