// The classic MLP VAE of Kingma & Welling (784-400-2 on MNIST), for any image size:
//   encoder: Flatten -> encoder.fc1 (C*H*W -> Hidden) -> ReLU;  heads encoder.mu, encoder.logvar (Hidden -> L)
//   decoder: decoder.fc3 (L -> Hidden) -> ReLU -> decoder.fc4 (Hidden -> C*H*W) -> Reshape (N, C, H, W)
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Trainer.Models;

public sealed class MlpVae : VaeNetwork
{
    internal MlpVae(VaeArchitecture a)
        : base(a,
            [new Flatten(), new Linear("encoder.fc1", a.ImageSize, a.Hidden), new Relu()],
            new Linear("encoder.mu", a.Hidden, a.LatentSize),
            new Linear("encoder.logvar", a.Hidden, a.LatentSize),
            [new Linear("decoder.fc3", a.LatentSize, a.Hidden), new Relu(), new Linear("decoder.fc4", a.Hidden, a.ImageSize), new Reshape(a.Channels, a.Height, a.Width)])
    {
    }
}
