// Graphs shaped like the VAEs VaeOnnx ships, built with random weights from a fixed seed, for the builder's tests:
// a convolutional encoder (image -> mu, logvar), its decoder (z -> image) and a Gemm+Sigmoid decoder.
// They are for structure only; nothing here is trained.
using VaeOnnx.OnnxBuilder;

namespace VaeOnnx.Tests.OnnxBuilder;

internal static class SampleGraphs
{
    public const int Latent = 4;

    /// <summary>x (N, 1, 28, 28) -> Conv s2 -> Relu -> Conv s2 -> LeakyRelu -> Flatten -> Gemm -> mu, logvar (N, 4).</summary>
    public static ModelBuilder ConvEncoder(int seed = 1)
    {
        var random = new Random(seed);
        var g = new GraphBuilder("encoder");
        string x = g.Input("image", ElementType.Float, "N", 1, 28, 28);
        string w1 = g.Initializer("conv1.weight", Values(random, 8 * 1 * 3 * 3), 8, 1, 3, 3);
        string b1 = g.Initializer("conv1.bias", Values(random, 8), 8);
        string w2 = g.Initializer("conv2.weight", Values(random, 16 * 8 * 3 * 3), 16, 8, 3, 3);
        string b2 = g.Initializer("conv2.bias", Values(random, 16), 16);
        string wMu = g.Initializer("mu.weight", Values(random, Latent * 784), Latent, 784);
        string bMu = g.Initializer("mu.bias", Values(random, Latent), Latent);
        string wLogvar = g.Initializer("logvar.weight", Values(random, Latent * 784), Latent, 784);
        string bLogvar = g.Initializer("logvar.bias", Values(random, Latent), Latent);

        string h = g.Relu(g.Conv(x, w1, b1, strides: [2, 2], pads: [1, 1, 1, 1]));
        h = g.LeakyRelu(g.Conv(h, w2, b2, strides: [2, 2], pads: [1, 1, 1, 1]), alpha: 0.2f);
        h = g.Flatten(h, axis: 1);
        g.Output(g.Gemm(h, wMu, bMu, transB: true, output: "mu"), ElementType.Float, "N", Latent);
        g.Output(g.Gemm(h, wLogvar, bLogvar, transB: true, output: "logvar"), ElementType.Float, "N", Latent);
        return new ModelBuilder(g).SetMetadata("image_shape", "1,28,28").SetMetadata("latent", $"{Latent}");
    }

    /// <summary>z (N, 4) -> Gemm -> Relu -> Reshape (-1, 16, 7, 7) -> ConvTranspose x2 -> Sigmoid -> image (N, 1, 28, 28).</summary>
    public static ModelBuilder ConvDecoder(int seed = 2)
    {
        var random = new Random(seed);
        var g = new GraphBuilder("decoder");
        string z = g.Input("z", ElementType.Float, "N", Latent);
        string wFc = g.Initializer("fc.weight", Values(random, 784 * Latent), 784, Latent);
        string bFc = g.Initializer("fc.bias", Values(random, 784), 784);
        string w1 = g.Initializer("deconv1.weight", Values(random, 16 * 8 * 3 * 3), 16, 8, 3, 3);
        string b1 = g.Initializer("deconv1.bias", Values(random, 8), 8);
        string w2 = g.Initializer("deconv2.weight", Values(random, 8 * 1 * 3 * 3), 8, 1, 3, 3);
        string b2 = g.Initializer("deconv2.bias", Values(random, 1), 1);

        string h = g.Relu(g.Gemm(z, wFc, bFc, transB: true));
        h = g.Reshape(h, [-1, 16, 7, 7]);
        h = g.Relu(g.ConvTranspose(h, w1, b1, strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1]));
        h = g.ConvTranspose(h, w2, b2, strides: [2, 2], pads: [1, 1, 1, 1], outputPadding: [1, 1]);
        g.Output(g.Sigmoid(h, output: "image"), ElementType.Float, "N", 1, 28, 28);
        return new ModelBuilder(g).SetMetadata("image_shape", "1,28,28").SetMetadata("likelihood", "bernoulli");
    }

    /// <summary>z (N, 4) -> Gemm -> Sigmoid -> Reshape -> image (N, 1, 8, 8).</summary>
    public static ModelBuilder GemmSigmoidDecoder(int seed = 3)
    {
        var random = new Random(seed);
        var g = new GraphBuilder("gemm_decoder");
        string z = g.Input("z", ElementType.Float, "N", Latent);
        string w = g.Initializer("fc.weight", Values(random, 64 * Latent), 64, Latent);
        string b = g.Initializer("fc.bias", Values(random, 64), 64);
        string pixels = g.Sigmoid(g.Gemm(z, w, b, transB: true));
        g.Output(g.Reshape(pixels, [-1, 1, 8, 8], output: "image"), ElementType.Float, "N", 1, 8, 8);
        return new ModelBuilder(g);
    }

    public static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1) * 0.3f;
        return values;
    }
}
