// Writes a small random-weight VAE model folder (encoder.onnx + decoder.onnx following the model contract, with the
// vaeonnx.* metadata) for the service tests, built with onnx-builder. The weights are random from a fixed seed: the
// tests compare the service against VaeModel on the same files, never against expected pictures.
using VaeOnnx.OnnxBuilder;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Tests.Runtime.AspNetCore;

public static class ServingTestModel
{
    /// <summary>
    /// Builds the folder: encoder image (N, C, H, W) -> Flatten -> Gemm -> Relu -> Gemm -> mu, logvar (N, L);
    /// decoder z (N, L) -> Gemm -> Relu -> Gemm -> Sigmoid -> Reshape -> image (N, C, H, W).
    /// Height and width differ by default so a swapped axis cannot pass. <paramref name="extraLayers"/> inserts that many
    /// more (hidden, hidden) Gemm -> Relu layers (sharing one weight) in the decoder: a slow model made of many short graph nodes, for the
    /// tests that stop a run half way (ONNX Runtime checks for termination between nodes).
    /// </summary>
    public static string Write(string folder, int channels = 1, int height = 8, int width = 6, int latent = 4, int hidden = 16, int seed = 7,
        int extraLayers = 0)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        int pixels = channels * height * width;

        var e = new GraphBuilder("encoder");
        string image = e.Input("image", ElementType.Float, "N", channels, height, width);
        string h = e.Flatten(image, axis: 1);
        h = e.Relu(e.Gemm(h, e.Initializer("fc.weight", Values(random, hidden * pixels, pixels), hidden, pixels),
            e.Initializer("fc.bias", Values(random, hidden, 1), hidden), transB: true));
        e.Output(e.Gemm(h, e.Initializer("mu.weight", Values(random, latent * hidden, hidden), latent, hidden),
            e.Initializer("mu.bias", Values(random, latent, 1), latent), transB: true, output: "mu"), ElementType.Float, "N", latent);
        e.Output(e.Gemm(h, e.Initializer("logvar.weight", Values(random, latent * hidden, hidden), latent, hidden),
            e.Initializer("logvar.bias", Values(random, latent, 1), latent), transB: true, output: "logvar"), ElementType.Float, "N", latent);

        var d = new GraphBuilder("decoder");
        string z = d.Input("z", ElementType.Float, "N", latent);
        string g = d.Relu(d.Gemm(z, d.Initializer("fc1.weight", Values(random, hidden * latent, latent), hidden, latent),
            d.Initializer("fc1.bias", Values(random, hidden, 1), hidden), transB: true));
        if (extraLayers > 0)
        {
            // One weight shared by every extra layer: the run gets longer, the file does not grow.
            string weight = d.Initializer("extra.weight", Values(random, hidden * hidden, hidden), hidden, hidden);
            string bias = d.Initializer("extra.bias", Values(random, hidden, 1), hidden);
            for (int layer = 0; layer < extraLayers; layer++) g = d.Relu(d.Gemm(g, weight, bias, transB: true));
        }
        g = d.Sigmoid(d.Gemm(g, d.Initializer("fc2.weight", Values(random, pixels * hidden, hidden), pixels, hidden),
            d.Initializer("fc2.bias", Values(random, pixels, 1), pixels), transB: true));
        d.Output(d.Reshape(g, [-1, channels, height, width], output: "image"), ElementType.Float, "N", channels, height, width);

        foreach (var (graph, file) in new[] { (e, VaeContract.EncoderFileName), (d, VaeContract.DecoderFileName) })
        {
            var model = new ModelBuilder(graph)
                .SetMetadata(VaeContract.ChannelsKey, $"{channels}")
                .SetMetadata(VaeContract.HeightKey, $"{height}")
                .SetMetadata(VaeContract.WidthKey, $"{width}")
                .SetMetadata(VaeContract.LatentSizeKey, $"{latent}")
                .SetMetadata(VaeContract.LikelihoodKey, VaeContract.LikelihoodText(Likelihood.Bernoulli))
                .SetMetadata("vaeonnx.test_model", "random weights");
            AtomicFile.Write(Path.Combine(folder, file), model.Save);
        }
        return folder;
    }

    /// <summary>A fresh temporary folder path under the system temp directory.</summary>
    public static string NewTempFolder(string purpose) =>
        Path.Combine(Path.GetTempPath(), $"vaeonnx-{purpose}-{Environment.ProcessId}-{Guid.NewGuid():N}");

    // Uniform(-1/sqrt(fanIn), 1/sqrt(fanIn)), PyTorch's Linear default range, so activations stay in a sane range.
    private static float[] Values(Random random, int count, int fanIn)
    {
        float bound = 1f / MathF.Sqrt(fanIn);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1) * bound;
        return values;
    }
}
