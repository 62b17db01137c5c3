// The conv VAE's derived stages and layer shapes: the reference model for 28x28x1, and exact size restoration for
// other sizes and channel counts, odd ones included.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Tests.Trainer.Models;

public class VaeArchitectureTests
{
    [Test]
    public void Mnist28x28ConvIsExactlyThePyTorchReference()
    {
        var network = VaeNetwork.Create(VaeArchitecture.Conv(1, 28, 28, 16));
        string[] expected =
        [
            "encoder.conv1.weight (32, 1, 4, 4)", "encoder.conv1.bias (32)",
            "encoder.conv2.weight (64, 32, 4, 4)", "encoder.conv2.bias (64)",
            "encoder.mu.weight (16, 3136)", "encoder.mu.bias (16)",
            "encoder.logvar.weight (16, 3136)", "encoder.logvar.bias (16)",
            "decoder.fc.weight (3136, 16)", "decoder.fc.bias (3136)",
            "decoder.deconv1.weight (64, 32, 4, 4)", "decoder.deconv1.bias (32)",
            "decoder.deconv2.weight (32, 1, 4, 4)", "decoder.deconv2.bias (1)",
        ];
        Assert.That(network.Parameters.Select(p => $"{p.Name} ({string.Join(", ", p.Value.Shape.ToArray())})"), Is.EqualTo(expected));
        Assert.That(network.EncoderLayers.Select(l => l.GetType().Name), Is.EqualTo(new[] { "Conv2d", "Relu", "Conv2d", "Relu", "Flatten" }));
        Assert.That(network.DecoderLayers.Select(l => l.GetType().Name),
            Is.EqualTo(new[] { "Linear", "Relu", "Reshape", "ConvTranspose2d", "Relu", "ConvTranspose2d" }));
        foreach (Layer layer in network.EncoderLayers.Concat(network.DecoderLayers))
        {
            switch (layer)
            {
                case Conv2d c:
                    Assert.That((c.KernelSize, c.Stride, c.Padding), Is.EqualTo((4, 2, 1)));
                    break;
                case ConvTranspose2d t:
                    Assert.That((t.KernelSize, t.Stride, t.Padding, t.OutputPadding), Is.EqualTo((4, 2, 1, 0)));
                    break;
            }
        }
        Assert.That(network.Parameters.Sum(p => p.Value.Length), Is.EqualTo(220_385), "parameter count of torch_vae_ref.py --arch conv --latent 16");
        Assert.That(network.Architecture.Describe(), Is.EqualTo("conv 1x28x28 -> 32@14x14 -> 64@7x7 -> latent 16, bernoulli"));
    }

    [Test]
    public void MnistMlpIsTheClassic784_400_2()
    {
        var network = VaeNetwork.Create(VaeArchitecture.Mlp(1, 28, 28, 2, 400));
        Assert.That(network.Parameters.Select(p => $"{p.Name} ({string.Join(", ", p.Value.Shape.ToArray())})"), Is.EqualTo(new[]
        {
            "encoder.fc1.weight (400, 784)", "encoder.fc1.bias (400)",
            "encoder.mu.weight (2, 400)", "encoder.mu.bias (2)",
            "encoder.logvar.weight (2, 400)", "encoder.logvar.bias (2)",
            "decoder.fc3.weight (400, 2)", "decoder.fc3.bias (400)",
            "decoder.fc4.weight (784, 400)", "decoder.fc4.bias (784)",
        }));
    }

    [TestCase(1, 28, 28, "32@14x14 -> 64@7x7")]
    [TestCase(3, 32, 32, "32@16x16 -> 64@8x8")]
    [TestCase(3, 64, 64, "32@32x32 -> 64@16x16 -> 128@8x8")]
    [TestCase(1, 29, 31, "32@14x15 -> 64@7x7")]
    [TestCase(2, 30, 15, "32@15x7")]
    [TestCase(1, 3, 2, "32@1x1")]
    [TestCase(3, 255, 97, "32@127x48 -> 64@63x24 -> 128@31x12")]
    [TestCase(1, 448, 448, "32@224x224 -> 64@112x112 -> 128@56x56 -> 256@28x28 -> 256@14x14 -> 256@7x7")]
    public void ConvStagesFollowTheRule(int channels, int height, int width, string stages)
    {
        var architecture = VaeArchitecture.Conv(channels, height, width, 5);
        Assert.That(architecture.Describe(), Does.Contain($"{channels}x{height}x{width} -> {stages} -> latent 5"));
    }

    [TestCase(1, 28, 28)]
    [TestCase(3, 32, 32)]
    [TestCase(3, 64, 64)]
    [TestCase(1, 29, 31)]
    [TestCase(2, 30, 15)]
    [TestCase(1, 3, 2)]
    public void TheDecoderRestoresTheExactSize(int channels, int height, int width)
    {
        var network = VaeNetwork.Create(VaeArchitecture.Conv(channels, height, width, 5));
        network.ResetParameters(new RandomSource(1));
        var images = new Tensor(2, channels, height, width);
        new RandomSource(2).FillUniform(images.Span, 0, 1);
        (Tensor mu, Tensor logVar) = network.Encode(images);
        Assert.That(mu.Shape.ToArray(), Is.EqualTo(new[] { 2, 5 }));
        Assert.That(logVar.Shape.ToArray(), Is.EqualTo(new[] { 2, 5 }));
        Tensor decoded = network.Decode(mu);
        Assert.That(decoded.Shape.ToArray(), Is.EqualTo(new[] { 2, channels, height, width }));
        Assert.That(decoded.Span.ToArray(), Has.All.InRange(0f, 1f), "Bernoulli means are probabilities");
    }

    [Test]
    public void InvalidArchitecturesAreRejectedWithTheValues()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => VaeArchitecture.Conv(1, 1, 28, 16))!.Message, Does.Contain("1x28"));
        Assert.That(Assert.Throws<ArgumentException>(() => VaeArchitecture.Mlp(1, 28, 28, 0, 400))!.Message, Does.Contain("latent size 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => VaeArchitecture.Mlp(1, 28, 28, 2, hidden: 0))!.Message, Does.Contain("got 0"));
        Assert.That(Assert.Throws<ArgumentException>(() => VaeNetwork.Create(new VaeArchitecture((VaeKind)7, 1, 28, 28, 2)))!.Message,
            Does.Contain("kind 7").And.Contain("conv or mlp"));
        Assert.That(Assert.Throws<ArgumentException>(() => VaeArchitecture.Conv(1, 28, 28, 2, Likelihood.Gaussian, 0))!.Message,
            Does.Contain("sigma"));
    }

    [Test]
    public void ImagesOfTheWrongShapeAreRejected()
    {
        var network = VaeNetwork.Create(VaeArchitecture.Conv(1, 28, 28, 16));
        var ex = Assert.Throws<ArgumentException>(() => network.Encode(new Tensor(4, 3, 28, 28)));
        Assert.That(ex!.Message, Does.Contain("(N, 1, 28, 28)").And.Contain("Tensor(4, 3, 28, 28)"));
        ex = Assert.Throws<ArgumentException>(() => network.Decode(new Tensor(4, 15)));
        Assert.That(ex!.Message, Does.Contain("(N, 16)"));
    }

    [Test]
    public void JsonRoundTripKeepsTheArchitectureAndWritesNoDerivedValues()
    {
        var architecture = VaeArchitecture.Conv(3, 29, 31, 8, Likelihood.Gaussian, 0.2);
        string json = System.Text.Json.JsonSerializer.Serialize(architecture);
        TestContext.Out.WriteLine(json);
        Assert.That(json, Does.Contain("\"Output\":\"Gaussian\"").And.Not.Contain("ConvStages"));
        Assert.That(System.Text.Json.JsonSerializer.Deserialize<VaeArchitecture>(json), Is.EqualTo(architecture));
    }

    [Test]
    public void ArchitecturesCompareByValue()
    {
        Assert.That(VaeArchitecture.Conv(1, 28, 28, 16), Is.EqualTo(VaeArchitecture.Conv(1, 28, 28, 16)));
        Assert.That(VaeArchitecture.Conv(1, 28, 28, 16), Is.Not.EqualTo(VaeArchitecture.Conv(1, 28, 28, 8)));
    }
}
