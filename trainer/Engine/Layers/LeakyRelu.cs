// Leaky ReLU, y = x for x > 0 else negativeSlope * x, any shape (PyTorch's nn.LeakyReLU; gradient at 0 is negativeSlope).
using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class LeakyRelu : ActivationLayer
{
    public LeakyRelu(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "LeakyRelu's negative slope must be a finite number, e.g. 0.01.");
        }
        NegativeSlope = negativeSlope;
    }

    public float NegativeSlope { get; }

    // y > 0 exactly when x > 0 only for a slope >= 0, so only then can the layer before read f' from its output.
    internal override FusedActivation? Fusable => NegativeSlope >= 0f ? FusedActivation.Leaky(NegativeSlope) : null;

    private protected override void Activate(Tensor x, Tensor y) => Backend.LeakyRelu(x, NegativeSlope, y);

    // dX = dY where x > 0, else negativeSlope * dY.
    private protected override void Differentiate(Tensor x, Tensor y, Tensor dY, Tensor dX) =>
        Backend.LeakyReluBackward(x, NegativeSlope, dY, dX);
}
