// What the element-wise activations (Relu, LeakyRelu, Sigmoid) share: any shape in, the same shape out, an owned
// output (never in place, so the previous layer's output stays intact), the gradient-shape check and the skipped
// input gradient of a first layer. Each subclass names only its function and its derivative (backend ops, whose CPU and
// GPU versions are in Backends/Elementwise), side by side, and whether it can be fused into the layer before it.
// When fused (LayerFusion, on a GPU backend), the layer before writes f(x) and reads its gradient through f': this
// layer then passes its input through, forward and backward, and launches nothing.
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Layers;

public abstract class ActivationLayer : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);
    private Tensor? _input;

    /// <summary>True while the layer before applies this activation (then Forward and Backward pass values through).</summary>
    public bool IsFusedIntoPrevious { get; internal set; }

    /// <summary>This activation as the layer before would apply it; null when it cannot be fused.</summary>
    internal virtual FusedActivation? Fusable => null;

    // x (any) -> y (same shape)
    public sealed override Tensor Forward(Tensor input)
    {
        _input = input;
        if (IsFusedIntoPrevious)
        {
            return input;
        }
        _output.Resize(input.Shape);
        Activate(input, _output);
        return _output;
    }

    public sealed override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{GetType().Name}: Backward called before Forward.");
        if (gradOutput.Length != input.Length)
        {
            throw new ArgumentException($"{GetType().Name} expects gradOutput shaped like its last output {input}; got {gradOutput}.", nameof(gradOutput));
        }
        if (!NeedsInputGradient)
        {
            return _gradInput.Resize(0);
        }
        if (IsFusedIntoPrevious)
        {
            return gradOutput;
        }
        _gradInput.Resize(input.Shape);
        Differentiate(input, _output, gradOutput, _gradInput);
        return _gradInput;
    }

    /// <summary>y = f(x), element by element, on the layer's backend.</summary>
    private protected abstract void Activate(Tensor x, Tensor y);

    /// <summary>dX = f'(x) * dY, from the input x or the output y, whichever the function needs.</summary>
    private protected abstract void Differentiate(Tensor x, Tensor y, Tensor dY, Tensor dX);
}
