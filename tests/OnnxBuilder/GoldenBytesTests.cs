// Our builder's bytes for a tiny model equal, byte for byte, the bytes ONNX's own Python helpers write for the same
// model (golden/tiny.onnx, made by golden/make_golden.py and committed). This pins field numbers, wire types,
// packing, field order and attribute order against an independent serializer.
using Google.Protobuf;
using VaeOnnx.OnnxBuilder;
using VaeOnnx.OnnxBuilder.Proto;
using VaeOnnx.Tests.Support;

namespace VaeOnnx.Tests.OnnxBuilder;

[TestFixture]
public sealed class GoldenBytesTests
{
    private static string GoldenPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "OnnxBuilder", "golden", "tiny.onnx");

    [Test]
    public void TinyModelBytesEqualOnnxHelperBytes()
    {
        byte[] golden = File.ReadAllBytes(GoldenPath);
        using var stream = new MemoryStream();
        TinyModel().Save(stream);
        byte[] ours = stream.ToArray();

        int firstDifference = Enumerable.Range(0, Math.Min(ours.Length, golden.Length)).FirstOrDefault(i => ours[i] != golden[i], -1);
        TestContext.Out.WriteLine($"ours {ours.Length} bytes, golden {golden.Length} bytes, first differing offset {firstDifference} (tolerance: none)");
        if (firstDifference >= 0 || ours.Length != golden.Length)
        {
            // Say whether the content differs or only its encoding, to point at the cause.
            bool sameContent = OnnxFile.Parse(golden).Equals(OnnxFile.Parse(ours));
            int at = Math.Max(firstDifference, 0);
            Assert.Fail($"Bytes differ at offset {at} (ours {Hex(ours, at)} vs golden {Hex(golden, at)}); parsed models are {(sameContent ? "equal: only encoding or field order differs" : "different")}. " +
                "If the model changed on purpose, change golden/make_golden.py to match and rerun it.");
        }
    }

    [Test]
    public void GoldenFixturePassesTheChecker() => OnnxChecker.AssertValid(GoldenPath);

    /// <summary>The same model as golden/make_golden.py: x (N, 1, 4, 4) -> Conv -> LeakyRelu -> Flatten -> Gemm -> Sigmoid -> Reshape -> y (N, 3, 1, 1).</summary>
    private static ModelBuilder TinyModel()
    {
        var g = new GraphBuilder("tiny") { DocString = "tiny graph" };
        string x = g.Input("x", ElementType.Float, "N", 1, 4, 4);
        string w = g.Initializer("conv.weight", Pattern(18), 2, 1, 3, 3);
        string b = g.Initializer("conv.bias", Pattern(2), 2);
        string fcWeight = g.Initializer("fc.weight", Pattern(24), 3, 8);
        string fcBias = g.Initializer("fc.bias", Pattern(3), 3);

        string h = g.Conv(x, w, b, strides: [2, 2], pads: [1, 1, 1, 1]);   // (N, 2, 2, 2)
        h = g.LeakyRelu(h, alpha: 0.2f);
        h = g.Flatten(h, axis: 1);                                          // (N, 8)
        h = g.Gemm(h, fcWeight, fcBias, alpha: 0.5f, transB: true);        // (N, 3)
        h = g.Sigmoid(h);
        g.Output(g.Reshape(h, [-1, 3, 1, 1], output: "y"), ElementType.Float, "N", 3, 1, 1);

        return new ModelBuilder(g) { Opset = 17, ProducerName = "VaeOnnx", ProducerVersion = "golden", DocString = "tiny golden model" }
            .SetMetadata("latent", "3")
            .SetMetadata("likelihood", "bernoulli");
    }

    /// <summary>((7 i) mod 11 - 5) / 8, exact in float32 (as in make_golden.py).</summary>
    private static float[] Pattern(int count) => [.. Enumerable.Range(0, count).Select(i => ((i * 7) % 11 - 5) * 0.125f)];

    private static string Hex(byte[] bytes, int at) =>
        at < bytes.Length ? Convert.ToHexString(bytes, at, Math.Min(16, bytes.Length - at)) : "<end>";
}
