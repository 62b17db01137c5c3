// Test helper for scoring: a VAE whose encoder and decoder are single linear maps with weights the test chooses, written
// as encoder.onnx / decoder.onnx through VaeOnnx.OnnxBuilder, with the plain C# formulas of what they compute:
//   encoder: image (N, C, H, W) -> Flatten -> Gemm(MuWeight (L, D), MuBias) -> mu;  Gemm(LogVarWeight, LogVarBias) -> logvar
//   decoder: z (N, L) -> Gemm(DecoderWeight (D, L), DecoderBias) -> Reshape (N, C, H, W) -> logits or Gaussian means
//            Bernoulli: image = Sigmoid(logits) (+ the `logits` output unless WithLogits is false); Gaussian: image = means
// Small enough that -log p(x) can be computed by brute force (BruteForceLikelihood). Nothing here is trained.
using VaeOnnx.OnnxBuilder;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Tests.Runtime.Core.Scoring;

public sealed class LinearVae
{
    public LinearVae(int latentSize, int channels, int height, int width)
    {
        LatentSize = latentSize;
        Channels = channels;
        Height = height;
        Width = width;
        DecoderWeight = new float[ImageSize * latentSize];
        DecoderBias = new float[ImageSize];
        MuWeight = new float[latentSize * ImageSize];
        MuBias = new float[latentSize];
        LogVarWeight = new float[latentSize * ImageSize];
        LogVarBias = new float[latentSize];
    }

    public int LatentSize { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int ImageSize => Channels * Height * Width;

    public bool Gaussian { get; init; }

    /// <summary>Written as vaeonnx.gaussian_sigma for Gaussian models; null leaves the key out.</summary>
    public double? Sigma { get; init; }

    public bool WithLogits { get; init; } = true;

    /// <summary>(D, L).</summary>
    public float[] DecoderWeight { get; }

    public float[] DecoderBias { get; }

    /// <summary>(L, D).</summary>
    public float[] MuWeight { get; }

    public float[] MuBias { get; }

    /// <summary>(L, D).</summary>
    public float[] LogVarWeight { get; }

    public float[] LogVarBias { get; }

    /// <summary>A model with every weight uniform in [-scale, scale] from <paramref name="seed"/>.</summary>
    public static LinearVae Random(int latentSize, int channels, int height, int width, int seed, double scale = 0.5,
        bool gaussian = false, bool withLogits = true, double? sigma = null)
    {
        var vae = new LinearVae(latentSize, channels, height, width) { Gaussian = gaussian, WithLogits = withLogits, Sigma = sigma };
        var random = new Random(seed);
        foreach (var array in new[] { vae.DecoderWeight, vae.DecoderBias, vae.MuWeight, vae.MuBias, vae.LogVarWeight, vae.LogVarBias })
        {
            for (int i = 0; i < array.Length; i++)
            {
                array[i] = (float)((random.NextDouble() * 2 - 1) * scale);
            }
        }
        return vae;
    }

    public string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        WriteEncoder(Path.Combine(folder, VaeContract.EncoderFileName));
        WriteDecoder(Path.Combine(folder, VaeContract.DecoderFileName));
        return folder;
    }

    public void WriteEncoder(string path)
    {
        var g = new GraphBuilder("encoder");
        string x = g.Input("image", ElementType.Float, "N", Channels, Height, Width);
        string flat = g.Flatten(x, axis: 1);
        string mu = g.Gemm(flat, g.Initializer("mu.weight", MuWeight, LatentSize, ImageSize), g.Initializer("mu.bias", MuBias, LatentSize), transB: true, output: "mu");
        string logVar = g.Gemm(flat, g.Initializer("logvar.weight", LogVarWeight, LatentSize, ImageSize), g.Initializer("logvar.bias", LogVarBias, LatentSize),
            transB: true, output: "logvar");
        g.Output(mu, ElementType.Float, "N", LatentSize);
        g.Output(logVar, ElementType.Float, "N", LatentSize);
        Save(g, path);
    }

    public void WriteDecoder(string path)
    {
        var g = new GraphBuilder("decoder");
        string z = g.Input("z", ElementType.Float, "N", LatentSize);
        string linear = g.Gemm(z, g.Initializer("fc.weight", DecoderWeight, ImageSize, LatentSize), g.Initializer("fc.bias", DecoderBias, ImageSize), transB: true);
        if (Gaussian)
        {
            g.Output(g.Reshape(linear, [-1, Channels, Height, Width], output: "image"), ElementType.Float, "N", Channels, Height, Width);
        }
        else
        {
            string logits = g.Reshape(linear, [-1, Channels, Height, Width], output: "logits");
            g.Output(g.Sigmoid(logits, output: "image"), ElementType.Float, "N", Channels, Height, Width);
            if (WithLogits)
            {
                g.Output(logits, ElementType.Float, "N", Channels, Height, Width);
            }
        }
        Save(g, path);
    }

    /// <summary>W z + b in double: the logits (Bernoulli) or means (Gaussian) of one latent vector, length D.</summary>
    public double[] DecoderLinear(ReadOnlySpan<double> z)
    {
        var result = new double[ImageSize];
        for (int d = 0; d < ImageSize; d++)
        {
            double sum = DecoderBias[d];
            for (int l = 0; l < LatentSize; l++)
            {
                sum += z[l] * DecoderWeight[d * LatentSize + l];
            }
            result[d] = sum;
        }
        return result;
    }

    /// <summary>mu and logvar of one image in double.</summary>
    public (double[] Mu, double[] LogVar) Encode(ReadOnlySpan<float> image)
    {
        var mu = new double[LatentSize];
        var logVar = new double[LatentSize];
        for (int l = 0; l < LatentSize; l++)
        {
            double m = MuBias[l], v = LogVarBias[l];
            for (int d = 0; d < ImageSize; d++)
            {
                m += (double)image[d] * MuWeight[l * ImageSize + d];
                v += (double)image[d] * LogVarWeight[l * ImageSize + d];
            }
            mu[l] = m;
            logVar[l] = v;
        }
        return (mu, logVar);
    }

    private void Save(GraphBuilder graph, string path)
    {
        var model = new ModelBuilder(graph);
        model.SetMetadata(VaeContract.ChannelsKey, $"{Channels}");
        model.SetMetadata(VaeContract.HeightKey, $"{Height}");
        model.SetMetadata(VaeContract.WidthKey, $"{Width}");
        model.SetMetadata(VaeContract.LatentSizeKey, $"{LatentSize}");
        model.SetMetadata(VaeContract.LikelihoodKey, VaeContract.LikelihoodText(Gaussian ? Likelihood.Gaussian : Likelihood.Bernoulli));
        if (Gaussian && Sigma is double sigma)
        {
            model.SetMetadata(VaeContract.GaussianSigmaKey, sigma.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
        AtomicFile.Write(path, model.Save);
    }
}
