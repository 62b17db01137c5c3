// Folds each activation layer into the layer before it, where the backend supports it (a GPU backend: its GEMMs
// apply the activation as they write and its derivative as they read, see Backends/FusedActivation.cs): Linear,
// Conv2d or ConvTranspose2d followed by Relu, or by LeakyRelu with a slope >= 0. The fused activation layer stays in
// the network (export and checkpoints see the same layers) and passes values through. On a backend that does not
// fuse (the CPU), every link is undone, so the CPU path is exactly the unfused one. It does not reorder or remove layers.
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Layers;

public static class LayerFusion
{
    /// <summary>Links (or, on a backend that does not fuse, unlinks) every producer and the activation after it in <paramref name="layers"/>.</summary>
    public static void Apply(IReadOnlyList<Layer> layers, ComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(backend);
        foreach (Layer layer in layers)
        {
            layer.FusedActivation = FusedActivation.None;
            if (layer is ActivationLayer activation)
            {
                activation.IsFusedIntoPrevious = false;
            }
        }
        if (!backend.FusesActivations)
        {
            return;
        }
        for (int i = 0; i + 1 < layers.Count; i++)
        {
            if (layers[i].CanFuseActivation && layers[i + 1] is ActivationLayer { Fusable: FusedActivation fused } next)
            {
                layers[i].FusedActivation = fused;
                next.IsFusedIntoPrevious = true;
            }
        }
    }
}
