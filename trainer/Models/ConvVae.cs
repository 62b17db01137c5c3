// The convolutional VAEs (conv and resconv): layers built from VaeArchitecture.ConvStages (see VaeArchitecture for the
// rule), with resconv's residual blocks at the lowest resolution on both sides.
// Names follow the module structure: encoder.conv{i}, encoder.res{b}, encoder.mu, encoder.logvar, decoder.fc,
// decoder.res{b}, decoder.deconv{i} (deconv1 is the first transposed convolution the decoder runs, the mirror of the
// last encoder stage); a block's convolutions are res{b}.conv1 and res{b}.conv2.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Trainer.Models;

public sealed class ConvVae : VaeNetwork
{
    internal ConvVae(VaeArchitecture architecture)
        : this(architecture, architecture.ConvStages)
    {
    }

    private ConvVae(VaeArchitecture architecture, IReadOnlyList<ConvStage> stages)
        : base(architecture, BuildEncoder(architecture, stages), Head("encoder.mu", architecture), Head("encoder.logvar", architecture),
            BuildDecoder(architecture, stages))
    {
    }

    private static Linear Head(string name, VaeArchitecture architecture) => new(name, architecture.FeatureSize, architecture.LatentSize);

    // image (N, C, H, W) -> [Conv2d k4 s2 p1 -> ReLU] per stage -> [residual block] x B -> Flatten -> features (N, C_last * H_last * W_last)
    private static Layer[] BuildEncoder(VaeArchitecture architecture, IReadOnlyList<ConvStage> stages)
    {
        var layers = new List<Layer>();
        for (int i = 0; i < stages.Count; i++)
        {
            ConvStage s = stages[i];
            layers.Add(new Conv2d($"encoder.conv{i + 1}", s.InChannels, s.OutChannels, ConvStage.KernelSize, ConvStage.Stride, ConvStage.Padding));
            layers.Add(new Relu());
        }
        layers.AddRange(Blocks("encoder", architecture.ResidualBlocks, stages[^1].OutChannels));
        layers.Add(new Flatten());
        return [.. layers];
    }

    // z (N, L) -> Linear -> ReLU -> Reshape (N, C_last, H_last, W_last) -> [residual block] x B
    //   -> [ConvTranspose2d k4 s2 p1, ReLU between] -> (N, C, H, W)
    private static Layer[] BuildDecoder(VaeArchitecture architecture, IReadOnlyList<ConvStage> stages)
    {
        ConvStage last = stages[^1];
        var layers = new List<Layer>
        {
            new Linear("decoder.fc", architecture.LatentSize, architecture.FeatureSize),
            new Relu(),
            new Reshape(last.OutChannels, last.OutHeight, last.OutWidth),
        };
        layers.AddRange(Blocks("decoder", architecture.ResidualBlocks, last.OutChannels));
        for (int i = stages.Count - 1, n = 1; i >= 0; i--, n++)
        {
            ConvStage s = stages[i];
            layers.Add(new ConvTranspose2d($"decoder.deconv{n}", s.OutChannels, s.InChannels, ConvStage.KernelSize, ConvStage.Stride,
                ConvStage.Padding, s.OutputPaddingHeight, s.OutputPaddingWidth));
            if (i > 0)
            {
                layers.Add(new Relu());
            }
        }
        return [.. layers];
    }

    private static IEnumerable<Layer> Blocks(string side, int count, int channels) =>
        Enumerable.Range(1, count).Select(b => new ResidualBlock($"{side}.res{b}", channels));
}
