// The parts of a trained VAE that export needs: the encoder layers (image -> features), the two heads, the decoder
// layers (z -> logits or means, no final activation), the image shape and the likelihood. ModelExport.SourceOf
// takes one from a VaeNetwork; tests can assemble one from bare layers.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Trainer.Export;

public sealed record VaeGraphSource(
    IReadOnlyList<Layer> EncoderLayers,
    Linear MuHead,
    Linear LogVarHead,
    IReadOnlyList<Layer> DecoderLayers,
    int Channels,
    int Height,
    int Width,
    Likelihood Likelihood)
{
    public int LatentSize => MuHead.OutFeatures;
}
