// PyTorch's default parameter initialisation, so that training starts from the same distribution as the reference.
// nn.Linear, nn.Conv2d and nn.ConvTranspose2d all draw weight ~ kaiming_uniform(a = sqrt(5)), whose bound works out
// to 1/sqrt(fanIn), and bias ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn)). fanIn is weight.size(1) * kernel area, so for
// ConvTranspose2d (weight (Cin, Cout, kH, kW)) it is Cout * kH * kW.
namespace VaeOnnx.Trainer.Engine;

public static class Initialization
{
    public static void PyTorchDefault(Parameter weight, Parameter? bias, int fanIn, RandomSource random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        float bound = 1f / MathF.Sqrt(fanIn);
        random.FillUniform(weight.Value.Span, -bound, bound);
        if (bias is not null)
        {
            random.FillUniform(bias.Value.Span, -bound, bound);
        }
    }
}
