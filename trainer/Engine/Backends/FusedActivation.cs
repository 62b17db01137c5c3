// An activation folded into the op that produces its input (Layers/LayerFusion decides; only a GPU backend fuses):
// the producer writes f(x) instead of x, and in the backward pass reads its output gradient multiplied by f'(x),
// which for ReLU and leaky ReLU can be read from the output alone (y > 0 exactly when x > 0, for a slope >= 0):
//   f(x) = x > 0 ? x : slope x        f'(x) dY = y > 0 ? dY : slope dY        (ReLU: slope 0)
// The CPU versions of both are Elementwise/ElementwiseCpu.Relu/LeakyRelu and their backward passes.
namespace VaeOnnx.Trainer.Engine.Backends;

public readonly record struct FusedActivation(bool IsFused, float NegativeSlope)
{
    /// <summary>No activation: the producer writes x and reads dY as it is.</summary>
    public static FusedActivation None => default;

    public static FusedActivation Relu => new(true, 0f);

    /// <summary>Leaky ReLU; only a slope &gt;= 0 can be fused (the derivative is then read from the output's sign).</summary>
    public static FusedActivation Leaky(float slope)
    {
        if (!(slope >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(slope), slope, "Only a leaky ReLU with a slope >= 0 can be fused into the layer before it.");
        }
        return new FusedActivation(true, slope);
    }

    public override string ToString() => !IsFused ? "none" : NegativeSlope == 0f ? "relu" : $"leaky relu ({NegativeSlope})";
}
