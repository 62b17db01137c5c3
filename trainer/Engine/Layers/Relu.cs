// Rectified linear unit, y = max(x, 0), any shape. Like PyTorch, the gradient at exactly 0 is 0.
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Relu : ActivationLayer
{
    internal override FusedActivation? Fusable => FusedActivation.Relu;

    private protected override void Activate(Tensor x, Tensor y) => Backend.Relu(x, y);

    // dX = dY where y > 0, else 0 (PyTorch's threshold_backward on the output).
    private protected override void Differentiate(Tensor x, Tensor y, Tensor dY, Tensor dX) => Backend.ReluBackward(y, dY, dX);
}
