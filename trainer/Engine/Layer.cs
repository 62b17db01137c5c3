// The contract every layer follows: a forward pass that keeps what its backward pass needs,
// and a backward pass that writes parameter gradients and returns the input gradient.
// Layers own their output and gradient tensors; a returned tensor stays valid until the layer's next call.
// Each layer computes through its Backend (CPU by default; a network moves all its layers to one backend).
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine;

public abstract class Layer
{
    /// <summary>Computes the output for <paramref name="input"/>, keeping what <see cref="Backward"/> needs.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Given d(loss)/d(output) of the last Forward, overwrites every parameter's Grad and returns d(loss)/d(input).
    /// </summary>
    public abstract Tensor Backward(Tensor gradOutput);

    public virtual IEnumerable<Parameter> Parameters => [];

    /// <summary>Where the layer's kernels run; its tensors live on this backend's device.</summary>
    public ComputeBackend Backend { get; set; } = CpuBackend.Instance;

    /// <summary>
    /// The activation this layer applies to its own output because the activation layer after it was fused into it
    /// (Layers/LayerFusion; only on a backend that fuses). None otherwise.
    /// </summary>
    public FusedActivation FusedActivation { get; internal set; }

    /// <summary>True for a layer that can apply an activation to its output and read its gradient through it (Linear, convolutions).</summary>
    internal virtual bool CanFuseActivation => false;

    /// <summary>
    /// False for a network's first layer: Backward may then skip d(loss)/d(input), which nothing reads, and return an empty tensor.
    /// </summary>
    public bool NeedsInputGradient { get; set; } = true;

    /// <summary>Draws fresh parameters (PyTorch's default initialisation for the layer type).</summary>
    public virtual void ResetParameters(RandomSource random)
    {
    }
}
