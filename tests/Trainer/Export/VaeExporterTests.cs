// Export: for conv VAEs of several image sizes and channel counts (odd sizes too) and for the mlp VAE, the ONNX
// graphs pass onnx.checker (full_check) and, run on ONNX Runtime through the runtime's VaeModel, agree with the
// trainer's own forward pass within 1e-4 (printed). Also checks the contract: names, outputs, metadata, and the
// decoder's float initializers in forward order (what ../shared/bench/torch_decode_ref.py relies on).
using VaeOnnx.OnnxBuilder;
using VaeOnnx.OnnxBuilder.Proto;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Export;

public sealed class VaeExporterTests
{
    private const double Tolerance = 1e-4;

    [TestCase(1, 28, 28)]
    [TestCase(3, 32, 32)]
    [TestCase(3, 64, 64)]
    [TestCase(1, 29, 31)]
    public void ConvExportMatchesTheNetworkOnOnnxRuntime(int channels, int height, int width)
    {
        VaeNetwork network = Trained(VaeArchitecture.Conv(channels, height, width, latentSize: 8));
        using var folder = new TemporaryFolder();
        float[] images = ModelExport.CheckImages(network.Architecture, 3);

        ParityReport report = ModelExport.ExportAndVerify(network, Metadata(network), folder.Path, images, 3, Tolerance);

        TestContext.Out.WriteLine($"{network.Architecture.Describe()}: {report}");
        Assert.That(report.MaxDifference, Is.LessThanOrEqualTo(Tolerance));
        OnnxChecker.AssertValid(folder.File("encoder.onnx"), folder.File("decoder.onnx"));
        using VaeModel model = VaeModel.Load(folder.Path);
        Assert.That((model.Metadata.Channels, model.Metadata.Height, model.Metadata.Width, model.Metadata.LatentSize), Is.EqualTo((channels, height, width, 8)));
        Assert.That(model.HasLogits, Is.True);
        Assert.That(Directory.GetDirectories(folder.Path), Is.Empty, "the staging folder is removed");
    }

    [Test]
    public void GaussianMlpExportHasNoLogitsAndCarriesSigma()
    {
        VaeNetwork network = Trained(VaeArchitecture.Mlp(1, 28, 28, latentSize: 2, hidden: 64, Likelihood.Gaussian, gaussianSigma: 0.25));
        using var folder = new TemporaryFolder();
        ParityReport report = ModelExport.ExportAndVerify(network, Metadata(network), folder.Path, ModelExport.CheckImages(network.Architecture, 5), 5, Tolerance);
        TestContext.Out.WriteLine($"{network.Architecture.Describe()}: {report}");
        Assert.That(report.MaxDifference, Is.LessThanOrEqualTo(Tolerance));
        OnnxChecker.AssertValid(folder.File("encoder.onnx"), folder.File("decoder.onnx"));

        ModelProto decoder = OnnxFile.Read(folder.File("decoder.onnx"));
        Assert.That(decoder.Graph.Output.Select(o => o.Name), Is.EqualTo(new[] { "image" }));
        var metadata = decoder.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.That(metadata["vaeonnx.likelihood"], Is.EqualTo("gaussian"));
        Assert.That(metadata["vaeonnx.gaussian_sigma"], Is.EqualTo("0.25"));
        Assert.That(metadata["vaeonnx.architecture"], Is.EqualTo("mlp"));
        using VaeModel model = VaeModel.Load(folder.Path);
        Assert.That(model.HasLogits, Is.False);
    }

    [Test]
    public void ContractNamesMetadataAndInitializerOrder()
    {
        VaeNetwork network = Trained(VaeArchitecture.Conv(1, 28, 28, latentSize: 16));
        ExportMetadata metadata = Metadata(network) with { TestLoss = 101.25 };
        using var folder = new TemporaryFolder();
        VaeExporter.Export(ModelExport.SourceOf(network), metadata, folder.Path);
        ModelProto encoder = OnnxFile.Read(folder.File("encoder.onnx"));
        ModelProto decoder = OnnxFile.Read(folder.File("decoder.onnx"));

        Assert.That(encoder.ProducerName, Is.EqualTo("VaeOnnx"));
        Assert.That(encoder.Graph.Input.Select(i => i.Name), Is.EqualTo(new[] { "image" }));
        Assert.That(encoder.Graph.Output.Select(o => o.Name), Is.EqualTo(new[] { "mu", "logvar" }));
        Assert.That(decoder.Graph.Input.Select(i => i.Name), Is.EqualTo(new[] { "z" }));
        Assert.That(decoder.Graph.Output.Select(o => o.Name), Is.EqualTo(new[] { "image", "logits" }));
        Assert.That(encoder.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam, Is.EqualTo("N"));
        Assert.That(decoder.Graph.Output[0].Type.TensorType.Shape.Dim.Select(d => d.DimParam == "" ? d.DimValue.ToString() : d.DimParam), Is.EqualTo(new[] { "N", "1", "28", "28" }));
        Assert.That(decoder.Graph.Node.Select(n => n.OpType), Is.EqualTo(new[] { "Gemm", "Relu", "Reshape", "ConvTranspose", "Relu", "ConvTranspose", "Sigmoid" }));

        foreach (ModelProto model in new[] { encoder, decoder })
        {
            var properties = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.That(properties, Does.ContainKey("vaeonnx.producer_version"));
            Assert.That(properties["vaeonnx.channels"], Is.EqualTo("1"));
            Assert.That(properties["vaeonnx.height"], Is.EqualTo("28"));
            Assert.That(properties["vaeonnx.width"], Is.EqualTo("28"));
            Assert.That(properties["vaeonnx.latent_size"], Is.EqualTo("16"));
            Assert.That(properties["vaeonnx.likelihood"], Is.EqualTo("bernoulli"));
            Assert.That(properties["vaeonnx.input_range"], Is.EqualTo("0,1"), "the wire value of VaeContract.InputRangeKey");
            Assert.That(properties["vaeonnx.architecture"], Is.EqualTo("conv"));
            Assert.That(properties["vaeonnx.dataset"], Is.EqualTo("test"));
            Assert.That(properties["vaeonnx.epochs"], Is.EqualTo("3"));
            Assert.That(properties["vaeonnx.test_loss"], Is.EqualTo("101.25"));
            Assert.That(properties, Does.Not.ContainKey("vaeonnx.gaussian_sigma"));
        }

        // Float initializers in forward order with the parameters' values (fc, deconv1, deconv2; weight before bias).
        var floats = decoder.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float).ToList();
        var expected = network.DecoderLayers.SelectMany(l => l.Parameters).ToList();
        Assert.That(floats.Select(t => t.Name), Is.EqualTo(expected.Select(p => p.Name)));
        Assert.That(floats.Select(t => string.Join("x", t.Dims)), Is.EqualTo(new[] { "3136x16", "3136", "64x32x4x4", "32", "32x1x4x4", "1" }));
        for (int i = 0; i < floats.Count; i++)
        {
            float[] stored = new float[expected[i].Value.Length];
            Buffer.BlockCopy(floats[i].RawData.ToByteArray(), 0, stored, 0, stored.Length * 4);
            Assert.That(stored, Is.EqualTo(expected[i].Value.Span.ToArray()), floats[i].Name);
        }
    }

    [Test]
    public void TheParityCheckCatchesAModelThatDiffers()
    {
        VaeNetwork network = Trained(VaeArchitecture.Conv(1, 28, 28, latentSize: 4));
        using var folder = new TemporaryFolder();
        VaeExporter.Export(ModelExport.SourceOf(network), Metadata(network), folder.Path);
        // One decoder bias and one mu-head bias off by 0.01 after export.
        network.DecoderLayers.SelectMany(l => l.Parameters).Last().Value.Span[0] += 0.01f;
        network.MuHead.Bias.Value.Span[0] += 0.01f;

        ParityReport report = ExportParity.Measure(network, folder.Path, ModelExport.CheckImages(network.Architecture, 4), 4, Tolerance);

        TestContext.Out.WriteLine(report);
        Assert.That(report.Passed, Is.False);
        Assert.That(report.ImageDifference, Is.GreaterThan(Tolerance));
        Assert.That(report.MuDifference, Is.GreaterThan(Tolerance));
        Assert.That(new ExportMismatchException(report, folder.Path).Message, Does.Contain("does not match the trained network").And.Contain("tolerance 1E-004"));
    }

    [Test]
    public void AnExportThatFailsItsCheckKeepsTheInstalledModelAndLeavesNothingBehind()
    {
        VaeNetwork installed = Trained(VaeArchitecture.Mlp(1, 28, 28, latentSize: 2, hidden: 8));
        using var folder = new TemporaryFolder();
        float[] images = ModelExport.CheckImages(installed.Architecture, 2);
        ModelExport.ExportAndVerify(installed, Metadata(installed), folder.Path, images, 2, Tolerance);
        string[] files = [folder.File(VaeContract.EncoderFileName), folder.File(VaeContract.DecoderFileName)];
        byte[][] before = files.Select(File.ReadAllBytes).ToArray();

        // A different network, and a tolerance no difference can meet (|diff| >= 0 > -1): the check refuses it.
        VaeNetwork next = Trained(VaeArchitecture.Mlp(1, 28, 28, latentSize: 3, hidden: 8));
        Assert.Throws<ExportMismatchException>(() => ModelExport.ExportAndVerify(next, Metadata(next), folder.Path, images, 2, tolerance: -1));

        Assert.That(files.Select(File.ReadAllBytes), Is.EqualTo(before));
        Assert.That(Directory.GetFileSystemEntries(folder.Path).Order(), Is.EqualTo(files.Order()), "no staging folder or temporary file is left");
    }

    private static ExportMetadata Metadata(VaeNetwork network) => ModelExport.MetadataOf(network, "test", 3, null);

    // Fresh PyTorch-style weights plus a deterministic nudge to the biases, so no output sits exactly at a default.
    private static VaeNetwork Trained(VaeArchitecture architecture)
    {
        VaeNetwork network = VaeNetwork.Create(architecture);
        network.ResetParameters(new RandomSource(11));
        var random = new RandomSource(12);
        foreach (Parameter p in network.Parameters.Where(p => p.Name.EndsWith(".bias", StringComparison.Ordinal)))
        {
            random.FillUniform(p.Value.Span, -0.1f, 0.1f);
        }
        return network;
    }
}
