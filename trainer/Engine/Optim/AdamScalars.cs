// The per-step scalars of one Adam update, rounded to float once per step from the double hyper-parameters and bias
// corrections (as PyTorch does); what the backends' Adam kernels read.
namespace VaeOnnx.Trainer.Engine.Optim;

public readonly record struct AdamScalars(
    float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float StepSize, float Bias2Sqrt, float Epsilon, float WeightDecay);
