// Test helper: model folders whose decoder outputs NaN or +-infinity for every latent, for the fault tests of the CLIs
// and the service. Both have a finite, working encoder (ToyVae's), so encoding succeeds and every path through the
// decoder meets the broken output:
//   NaN:      ToyVae (Bernoulli, with logits) whose decoder bias holds a NaN: pixel 0 of every image and logit is NaN.
//   Infinite: a Gaussian model (sigma 0.1) whose decoder is Gemm -> Reshape -> image with no sigmoid, and whose bias is
//             +infinity for pixel 0 and -infinity for pixel 1: what float32 overflow of huge weights gives, for any z.
// It builds broken models on purpose; nothing here is trained, and it checks nothing itself.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.IO;

namespace VaeOnnx.Tests.Support;

public enum NonFiniteKind
{
    NaN,
    Infinite,
}

public static class NonFiniteVae
{
    public const int LatentSize = 4, Channels = 1, Height = 6, Width = 5;

    /// <summary>The Gaussian sigma the infinite model declares.</summary>
    public const double GaussianSigma = 0.1;

    /// <summary>Writes the model of <paramref name="kind"/> into <paramref name="folder"/> (created if needed); returns the folder.</summary>
    public static string Write(string folder, NonFiniteKind kind) => kind switch
    {
        NonFiniteKind.NaN => WriteNaN(folder),
        NonFiniteKind.Infinite => WriteInfinite(folder),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "NaN or Infinite"),
    };

    private static string WriteNaN(string folder)
    {
        var vae = ToyVae.Create(LatentSize, Channels, Height, Width, seed: 3);
        vae.DecoderBias[0] = float.NaN;
        return vae.Write(folder, withLogits: true);
    }

    private static string WriteInfinite(string folder)
    {
        Directory.CreateDirectory(folder);
        var vae = ToyVae.Create(LatentSize, Channels, Height, Width, seed: 4);
        var metadata = vae.Metadata();
        metadata[VaeContract.LikelihoodKey] = VaeContract.LikelihoodText(Likelihood.Gaussian);
        metadata[VaeContract.GaussianSigmaKey] = GaussianSigma.ToString(System.Globalization.CultureInfo.InvariantCulture);
        vae.WriteEncoder(Path.Combine(folder, VaeContract.EncoderFileName), metadata: metadata);

        var bias = (float[])vae.DecoderBias.Clone();
        bias[0] = float.PositiveInfinity;
        bias[1] = float.NegativeInfinity;
        var g = new GraphBuilder("decoder");
        string z = g.Input("z", ElementType.Float, "N", LatentSize);
        string w = g.Initializer("fc.weight", vae.DecoderWeight, vae.ImageSize, LatentSize);
        string b = g.Initializer("fc.bias", bias, vae.ImageSize);
        string image = g.Reshape(g.Gemm(z, w, b, transB: true), [-1, Channels, Height, Width], output: VaeContract.ImageTensor);
        g.Output(image, ElementType.Float, "N", Channels, Height, Width);
        var model = new ModelBuilder(g);
        foreach (var (key, value) in metadata)
        {
            model.SetMetadata(key, value);
        }
        AtomicFile.Write(Path.Combine(folder, VaeContract.DecoderFileName), model.Save);
        return folder;
    }
}
