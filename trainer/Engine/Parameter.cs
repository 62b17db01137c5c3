// A trainable tensor and the gradient that the last backward pass wrote for it.
namespace VaeOnnx.Trainer.Engine;

public sealed class Parameter
{
    public Parameter(string name, params int[] shape)
    {
        Name = name;
        Value = new Tensor(shape);
        Grad = new Tensor(shape);
    }

    /// <summary>Dotted name, e.g. "encoder.conv1.weight"; also the key in checkpoints.</summary>
    public string Name { get; }

    public Tensor Value { get; }

    /// <summary>d(loss)/d(Value). Backward overwrites it (it does not accumulate).</summary>
    public Tensor Grad { get; }
}
