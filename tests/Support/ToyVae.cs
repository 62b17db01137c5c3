// Test helper: a tiny VAE with random weights, written as encoder.onnx / decoder.onnx through VaeOnnx.OnnxBuilder
// with the VaeOnnx metadata, plus plain C# reference computations of what the two graphs compute:
//   encoder: image (N, C, H, W) -> Flatten -> Gemm (mu.weight (L, D)) -> mu;  Gemm (logvar.weight (L, D)) -> logvar
//   decoder: z (N, L) -> Gemm (fc.weight (D, L)) -> Reshape (N, C, H, W) -> logits;  Sigmoid -> image
// Writers take overrides (input names, metadata) so tests can build models that break the contract on purpose.
// It is for runtime/serving tests only; nothing here is trained.
using VaeOnnx.OnnxBuilder;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Tests.Support;

public sealed class ToyVae
{
    private ToyVae(int latentSize, int channels, int height, int width, int seed)
    {
        LatentSize = latentSize;
        Channels = channels;
        Height = height;
        Width = width;
        var random = new Random(seed);
        DecoderWeight = Values(random, ImageSize * latentSize);
        DecoderBias = Values(random, ImageSize);
        MuWeight = Values(random, latentSize * ImageSize);
        MuBias = Values(random, latentSize);
        LogVarWeight = Values(random, latentSize * ImageSize);
        LogVarBias = Values(random, latentSize);
    }

    public int LatentSize { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int ImageSize => Channels * Height * Width;

    /// <summary>(D, L) with D = C·H·W, used as Gemm(z, W, b, transB).</summary>
    public float[] DecoderWeight { get; }

    public float[] DecoderBias { get; }

    /// <summary>(L, D).</summary>
    public float[] MuWeight { get; }

    public float[] MuBias { get; }

    public float[] LogVarWeight { get; }

    public float[] LogVarBias { get; }

    public static ToyVae Create(int latentSize = 4, int channels = 1, int height = 6, int width = 5, int seed = 1) =>
        new(latentSize, channels, height, width, seed);

    /// <summary>The metadata_props both graphs carry; tests may change a copy and pass it to a writer.</summary>
    public Dictionary<string, string> Metadata() => new()
    {
        [VaeContract.ChannelsKey] = $"{Channels}",
        [VaeContract.HeightKey] = $"{Height}",
        [VaeContract.WidthKey] = $"{Width}",
        [VaeContract.LatentSizeKey] = $"{LatentSize}",
        [VaeContract.LikelihoodKey] = VaeContract.LikelihoodText(Likelihood.Bernoulli),
        ["vaeonnx.dataset"] = "toy",
    };

    /// <summary>Writes encoder.onnx and decoder.onnx into <paramref name="folder"/> (created if needed); returns the folder.</summary>
    public string Write(string folder, bool withLogits = true)
    {
        Directory.CreateDirectory(folder);
        WriteEncoder(Path.Combine(folder, VaeContract.EncoderFileName));
        WriteDecoder(Path.Combine(folder, VaeContract.DecoderFileName), withLogits: withLogits);
        return folder;
    }

    public void WriteEncoder(string path, string inputName = "image", IReadOnlyDictionary<string, string>? metadata = null)
    {
        var g = new GraphBuilder("encoder");
        string x = g.Input(inputName, ElementType.Float, "N", Channels, Height, Width);
        string wMu = g.Initializer("mu.weight", MuWeight, LatentSize, ImageSize);
        string bMu = g.Initializer("mu.bias", MuBias, LatentSize);
        string wLogVar = g.Initializer("logvar.weight", LogVarWeight, LatentSize, ImageSize);
        string bLogVar = g.Initializer("logvar.bias", LogVarBias, LatentSize);
        string flat = g.Flatten(x, axis: 1);
        g.Output(g.Gemm(flat, wMu, bMu, transB: true, output: "mu"), ElementType.Float, "N", LatentSize);
        g.Output(g.Gemm(flat, wLogVar, bLogVar, transB: true, output: "logvar"), ElementType.Float, "N", LatentSize);
        Save(g, path, metadata);
    }

    /// <param name="declaredImage">The (C, H, W) the file declares for `image`, when it is to differ from what its graph
    /// computes (a contradicting export); by default the true shape.</param>
    /// <param name="computedImage">The (C, H, W) the graph reshapes to (same element count), by default the true shape.</param>
    public void WriteDecoder(string path, string inputName = "z", bool withLogits = true, IReadOnlyDictionary<string, string>? metadata = null,
        (int C, int H, int W)? declaredImage = null, (int C, int H, int W)? computedImage = null)
    {
        var (dc, dh, dw) = declaredImage ?? (Channels, Height, Width);
        var (cc, ch, cw) = computedImage ?? (Channels, Height, Width);
        var g = new GraphBuilder("decoder");
        string z = g.Input(inputName, ElementType.Float, "N", LatentSize);
        string w = g.Initializer("fc.weight", DecoderWeight, ImageSize, LatentSize);
        string b = g.Initializer("fc.bias", DecoderBias, ImageSize);
        string logits = g.Reshape(g.Gemm(z, w, b, transB: true), [-1, cc, ch, cw], output: "logits");
        g.Output(g.Sigmoid(logits, output: "image"), ElementType.Float, "N", dc, dh, dw);
        if (withLogits)
        {
            g.Output(logits, ElementType.Float, "N", Channels, Height, Width);
        }
        Save(g, path, metadata);
    }

    /// <summary>Sigmoid(z Wᵀ + b) in double, (count, C, H, W).</summary>
    public float[] ReferenceDecode(float[] z, int count, bool logits = false)
    {
        var images = new float[count * ImageSize];
        for (int n = 0; n < count; n++)
        {
            for (int d = 0; d < ImageSize; d++)
            {
                double sum = DecoderBias[d];
                for (int l = 0; l < LatentSize; l++)
                {
                    sum += (double)z[n * LatentSize + l] * DecoderWeight[d * LatentSize + l];
                }
                images[n * ImageSize + d] = (float)(logits ? sum : 1.0 / (1.0 + Math.Exp(-sum)));
            }
        }
        return images;
    }

    /// <summary>x Wᵀ + b for mu and logvar in double, each (count, L).</summary>
    public (float[] Mu, float[] LogVar) ReferenceEncode(float[] images, int count)
    {
        var mu = new float[count * LatentSize];
        var logVar = new float[count * LatentSize];
        for (int n = 0; n < count; n++)
        {
            for (int l = 0; l < LatentSize; l++)
            {
                double m = MuBias[l], v = LogVarBias[l];
                for (int d = 0; d < ImageSize; d++)
                {
                    m += (double)images[n * ImageSize + d] * MuWeight[l * ImageSize + d];
                    v += (double)images[n * ImageSize + d] * LogVarWeight[l * ImageSize + d];
                }
                mu[n * LatentSize + l] = (float)m;
                logVar[n * LatentSize + l] = (float)v;
            }
        }
        return (mu, logVar);
    }

    public static float[] Values(Random random, int count, double scale = 0.5)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    private void Save(GraphBuilder graph, string path, IReadOnlyDictionary<string, string>? metadata)
    {
        var model = new ModelBuilder(graph);
        foreach (var (key, value) in metadata ?? Metadata())
        {
            model.SetMetadata(key, value);
        }
        AtomicFile.Write(path, model.Save);
    }
}
