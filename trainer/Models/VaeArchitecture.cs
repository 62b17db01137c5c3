// The shape of a VAE, everything needed to build the same network again (and to save it with a checkpoint).
//   conv: stages of Conv2d(k4, s2, p1) + ReLU, each halving the image (rounding down), added while the smaller side of the
//         next stage stays >= 7 (at least one stage); stage i has min(32 * 2^i, 256) channels. Then Flatten and two
//         Linear heads to mu and logvar. The decoder mirrors it: Linear to the last stage's maps + ReLU, Reshape, then
//         ConvTranspose2d(k4, s2, p1) per stage with the output padding that restores the exact size (odd sizes too),
//         ReLU between them and no activation at the end. 28x28x1 gives exactly ../shared/bench/torch_vae_ref.py's conv
//         model: 1 -> 32 (14x14) -> 64 (7x7), 3136 features. 32x32x3: 32 (16x16), 64 (8x8). 64x64x3: 32, 64, 128 (8x8).
//   resconv: the conv VAE made deeper: the same stages, with ConvChannels channels in the first stage (doubling per
//         stage, at most 256), and ResidualBlocks residual blocks (Engine/Layers/ResidualBlock: ReLU, 3x3 conv, ReLU,
//         3x3 conv, plus the skip) at the lowest resolution on both sides: after the encoder's last stage, and in the
//         decoder after the Reshape, before the first transposed convolution. 28x28x1 with 32 channels: 1 -> 32 (14x14)
//         -> 64 (7x7) -> blocks of 64@7x7. ConvChannels is also accepted by conv (null there: 32, the default model).
//   mlp:  the classic Kingma & Welling model: fc1 (C*H*W -> Hidden) + ReLU, heads Hidden -> L, fc3 (L -> Hidden) + ReLU,
//         fc4 (Hidden -> C*H*W).
// It does not hold weights (VaeNetwork does). It is stored as it is in a checkpoint's training state (TrainingState):
// the defining values, with Kind as its word ("conv", "resconv", "mlp"); derived values are not written, and a state
// written before ConvChannels and ResidualBlocks existed reads with their defaults (the default conv), and neither is
// written at its default, so the state of a conv or mlp network reads as it did before them. Validate checks a
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
    double GaussianSigma = VaeArchitecture.DefaultGaussianSigma,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int? ConvChannels = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int ResidualBlocks = 0)
{
    /// <summary>
    /// Sigma of the Gaussian likelihood for pixels in [0, 1]: small enough that reconstructions are sharp, large
    /// enough that the KL term still shapes the latent space.
    /// </summary>
    public const double DefaultGaussianSigma = 0.1;

    /// <summary>Encoder stages stop before the smaller side would fall below this.</summary>
    public const int MinimumStageSize = 7;

    public const int MaximumStageChannels = 256;

    /// <summary>Channels of the first conv stage when ConvChannels is not given (the default model's 32).</summary>
    public const int DefaultConvChannels = 32;

    /// <summary>Residual blocks of a resconv VAE when not given.</summary>
    public const int DefaultResidualBlocks = 2;

    public const int MaximumResidualBlocks = 16;

    public static VaeArchitecture Conv(int channels, int height, int width, int latentSize,
        Likelihood output = Likelihood.Bernoulli, double gaussianSigma = DefaultGaussianSigma, int? convChannels = null)
    {
        var architecture = new VaeArchitecture(VaeKind.Conv, channels, height, width, latentSize, output, 0, gaussianSigma, convChannels);
        architecture.Validate();
        return architecture;
    }

    /// <summary>The deeper conv VAE: <paramref name="residualBlocks"/> residual blocks at the lowest resolution on both sides.</summary>
    public static VaeArchitecture ResConv(int channels, int height, int width, int latentSize, int residualBlocks = DefaultResidualBlocks,
        int convChannels = DefaultConvChannels, Likelihood output = Likelihood.Bernoulli, double gaussianSigma = DefaultGaussianSigma)
    {
        var architecture = new VaeArchitecture(VaeKind.Resconv, channels, height, width, latentSize, output, 0, gaussianSigma, convChannels, residualBlocks);
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

    /// <summary>True for the convolutional kinds (conv, resconv).</summary>
    [JsonIgnore]
    public bool IsConvolutional => Kind is VaeKind.Conv or VaeKind.Resconv;

    /// <summary>The conv encoder's stages, first to last (empty for mlp). The decoder runs them in reverse.</summary>
    [JsonIgnore]
    public IReadOnlyList<ConvStage> ConvStages
    {
        get
        {
            if (!IsConvolutional || Height < 2 || Width < 2 || Channels < 1 || ConvChannels is < 1)
            {
                return [];
            }
            var stages = new List<ConvStage>();
            int channels = Channels, height = Height, width = Width, first = ConvChannels ?? DefaultConvChannels;
            do
            {
                int outChannels = (int)Math.Min((long)first << Math.Min(stages.Count, 8), MaximumStageChannels);
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
        int minimumSide = IsConvolutional ? 2 : 1;
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
        if (IsConvolutional && Hidden != 0)
        {
            throw new ArgumentException($"The {Kind.ToName()} VAE has no hidden-layer setting; got Hidden = {Hidden} (leave it 0).");
        }
        if (ConvChannels is not null && (!IsConvolutional || ConvChannels is < 1 or > MaximumStageChannels))
        {
            throw new ArgumentException(IsConvolutional
                ? $"The first conv stage takes 1 to {MaximumStageChannels} channels; got {ConvChannels}."
                : $"The {Kind.ToName()} VAE has no conv channels setting; got ConvChannels = {ConvChannels} (leave it unset).");
        }
        if (Kind == VaeKind.Resconv ? ResidualBlocks is < 1 or > MaximumResidualBlocks : ResidualBlocks != 0)
        {
            throw new ArgumentException(Kind == VaeKind.Resconv
                ? $"The resconv VAE takes 1 to {MaximumResidualBlocks} residual blocks; got {ResidualBlocks}."
                : $"Only the resconv VAE has residual blocks; got ResidualBlocks = {ResidualBlocks} for {Kind.ToName()} (use --arch resconv).");
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
        string blocks = ResidualBlocks > 0 ? $" + {ResidualBlocks} residual blocks" : "";
        string body = Kind == VaeKind.Mlp
            ? $"{Channels}x{Height}x{Width} -> {Hidden} -> latent {LatentSize}"
            : $"{Channels}x{Height}x{Width} -> " + string.Join(" -> ", ConvStages.Select(s => $"{s.OutChannels}@{s.OutHeight}x{s.OutWidth}")) + $"{blocks} -> latent {LatentSize}";
        string likelihood = VaeContract.LikelihoodText(Output) + (Output == Likelihood.Gaussian ? $" (sigma {GaussianSigma})" : "");
        return $"{Kind.ToName()} {body}, {likelihood}";
    }
}
