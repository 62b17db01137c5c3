// The shape of a VAE, everything needed to build the same network again (and to save it with a checkpoint).
//   conv: stages of Conv2d(k4, s2, p1) + ReLU, each halving the image (rounding down), added while the smaller side of the
//         next stage stays >= 7 (at least one stage); stage i has min(32 * 2^i, 256) channels. Then Flatten and two
//         Linear heads to mu and logvar. The decoder mirrors it: Linear to the last stage's maps + ReLU, Reshape, then
//         ConvTranspose2d(k4, s2, p1) per stage with the output padding that restores the exact size (odd sizes too),
//         ReLU between them and no activation at the end. 28x28x1 gives exactly ../shared/bench/torch_vae_ref.py's conv
//         model: 1 -> 32 (14x14) -> 64 (7x7), 3136 features. 32x32x3: 32 (16x16), 64 (8x8). 64x64x3: 32, 64, 128 (8x8).
//   mlp:  the classic Kingma & Welling model: fc1 (C*H*W -> Hidden) + ReLU, heads Hidden -> L, fc3 (L -> Hidden) + ReLU,
//         fc4 (Hidden -> C*H*W).
// It does not hold weights (VaeNetwork does). It is stored as it is in a checkpoint's training state (TrainingState):
// the eight defining values, with Kind as its word ("conv", "mlp"); derived values are not written. Validate checks a
// stored one as the factories check a new one.
using System.Text.Json.Serialization;
using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Trainer.Models;

public sealed record VaeArchitecture(
    VaeKind Kind,
    int Channels,
    int Height,
    int Width,
    int LatentSize,
    Likelihood Output = Likelihood.Bernoulli,
    int Hidden = 0,
    double GaussianSigma = VaeArchitecture.DefaultGaussianSigma)
{
    /// <summary>
    /// Sigma of the Gaussian likelihood for pixels in [0, 1]: small enough that reconstructions are sharp, large
    /// enough that the KL term still shapes the latent space.
    /// </summary>
    public const double DefaultGaussianSigma = 0.1;

    /// <summary>Encoder stages stop before the smaller side would fall below this.</summary>
    public const int MinimumStageSize = 7;

    public const int MaximumStageChannels = 256;

    public static VaeArchitecture Conv(int channels, int height, int width, int latentSize,
        Likelihood output = Likelihood.Bernoulli, double gaussianSigma = DefaultGaussianSigma)
    {
        var architecture = new VaeArchitecture(VaeKind.Conv, channels, height, width, latentSize, output, 0, gaussianSigma);
        architecture.Validate();
        return architecture;
    }

    public static VaeArchitecture Mlp(int channels, int height, int width, int latentSize, int hidden,
        Likelihood output = Likelihood.Bernoulli, double gaussianSigma = DefaultGaussianSigma)
    {
        var architecture = new VaeArchitecture(VaeKind.Mlp, channels, height, width, latentSize, output, hidden, gaussianSigma);
        architecture.Validate();
        return architecture;
    }

    /// <summary>The latent size whose space is a plane: a picture shows it whole (a run's manifold and scatter).</summary>
    public const int PlanarLatentSize = 2;

    /// <summary>Whether the latent space is a plane (latent size 2): the one test of "is 2-D" on the C# side.</summary>
    [JsonIgnore]
    public bool HasPlanarLatent => LatentSize == PlanarLatentSize;

    /// <summary>C * H * W, the number of values in one image.</summary>
    [JsonIgnore]
    public int ImageSize => Channels * Height * Width;

    /// <summary>The conv encoder's stages, first to last (empty for mlp). The decoder runs them in reverse.</summary>
    [JsonIgnore]
    public IReadOnlyList<ConvStage> ConvStages
    {
        get
        {
            if (Kind != VaeKind.Conv || Height < 2 || Width < 2 || Channels < 1)
            {
                return [];
            }
            var stages = new List<ConvStage>();
            int channels = Channels, height = Height, width = Width;
            do
            {
                int outChannels = Math.Min(32 << Math.Min(stages.Count, 8), MaximumStageChannels);
                stages.Add(new ConvStage(channels, outChannels, height, width, height / 2, width / 2));
                (channels, height, width) = (outChannels, height / 2, width / 2);
            }
            while (Math.Min(height, width) / 2 >= MinimumStageSize);
            return stages;
        }
    }

    /// <summary>The length of the encoder's feature vector, the heads' input (conv: last stage's C*H*W; mlp: Hidden).</summary>
    [JsonIgnore]
    public int FeatureSize
    {
        get
        {
            if (Kind == VaeKind.Mlp)
            {
                return Hidden;
            }
            IReadOnlyList<ConvStage> stages = ConvStages;
            ConvStage last = stages[^1];
            return last.OutChannels * last.OutHeight * last.OutWidth;
        }
    }

    /// <summary>Throws with the offending value and what to do when the architecture cannot be built.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Unknown VAE architecture kind {(int)Kind}; use {string.Join(" or ", VaeKindNames.All)}.");
        }
        if (Channels < 1 || LatentSize < 1)
        {
            throw new ArgumentException($"A VAE needs at least one channel and one latent dimension; got {Channels} channels, latent size {LatentSize}.");
        }
        if (LatentSize > VaeContract.MaxLatentSize)
        {
            throw new ArgumentException($"Latent size {LatentSize} is above the model contract's {VaeContract.MaxLatentSize} (VaeContract.MaxLatentSize).");
        }
        int minimumSide = Kind == VaeKind.Conv ? 2 : 1;
        if (Height < minimumSide || Width < minimumSide)
        {
            throw new ArgumentException(
                $"Images of {Height}x{Width} are too small for the {Kind.ToName()} VAE; it needs at least {minimumSide}x{minimumSide} pixels.");
        }
        if ((long)Channels * Height * Width > 1 << 26)
        {
            throw new ArgumentException($"Images of {Channels}x{Height}x{Width} are too large; resize them below 2^26 values per image.");
        }
        if (Kind == VaeKind.Mlp && Hidden < 1)
        {
            throw new ArgumentException($"The mlp VAE needs a hidden layer of at least one unit; got {Hidden}.");
        }
        if (Kind == VaeKind.Conv && Hidden != 0)
        {
            throw new ArgumentException($"The conv VAE has no hidden-layer setting; got Hidden = {Hidden} (leave it 0).");
        }
        if (!double.IsFinite(GaussianSigma) || GaussianSigma <= 0)
        {
            throw new ArgumentException($"The Gaussian likelihood's sigma must be a positive number, e.g. {DefaultGaussianSigma}; got {GaussianSigma}.");
        }
        if (!Enum.IsDefined(Output))
        {
            throw new ArgumentException($"Unknown likelihood {(int)Output}; use Likelihood.Bernoulli or Likelihood.Gaussian.");
        }
    }

    /// <summary>A one-line description, e.g. "conv 1x28x28 -> 32@14x14 -> 64@7x7 -> latent 16, bernoulli".</summary>
    public string Describe()
    {
        string body = Kind == VaeKind.Mlp
            ? $"{Channels}x{Height}x{Width} -> {Hidden} -> latent {LatentSize}"
            : $"{Channels}x{Height}x{Width} -> " + string.Join(" -> ", ConvStages.Select(s => $"{s.OutChannels}@{s.OutHeight}x{s.OutWidth}")) + $" -> latent {LatentSize}";
        string likelihood = VaeContract.LikelihoodText(Output) + (Output == Likelihood.Gaussian ? $" (sigma {GaussianSigma})" : "");
        return $"{Kind.ToName()} {body}, {likelihood}";
    }
}
