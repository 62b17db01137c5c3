// Adam's hyper-parameters, with PyTorch's defaults. Doubles, as in PyTorch, where they are Python floats:
// the bias corrections 1 - beta^t are computed in double and only the per-step scalars are rounded to float.
namespace VaeOnnx.Trainer.Engine.Optim;

public sealed record AdamOptions(
    double LearningRate = 1e-3,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8,
    double WeightDecay = 0)
{
    /// <summary>Throws with the offending value when an option is outside PyTorch's accepted range.</summary>
    public void Validate()
    {
        Check(LearningRate >= 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "a finite value >= 0, e.g. 1e-3");
        Check(Beta1 >= 0 && Beta1 < 1, nameof(Beta1), Beta1, "in [0, 1), e.g. 0.9");
        Check(Beta2 >= 0 && Beta2 < 1, nameof(Beta2), Beta2, "in [0, 1), e.g. 0.999");
        Check(Epsilon >= 0 && double.IsFinite(Epsilon), nameof(Epsilon), Epsilon, "a finite value >= 0, e.g. 1e-8");
        Check(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "a finite value >= 0");
    }

    private static void Check(bool ok, string name, double value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Adam {name} is {value}; it must be {expected}.");
        }
    }
}
