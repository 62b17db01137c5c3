// A fully connected layer, y = x W^T + b, as PyTorch's nn.Linear: Weight (out, in), Bias (out).
// Both passes are single backend calls (GEMMs: on a GPU the bias, a fused activation and the bias gradient ride in the
// GEMMs' epilogues, and the two backward products share one launch); it does not handle inputs of rank other than 2
// (flatten first).

using VaeOnnx.Trainer.Engine.Backends;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Linear : Layer
{
    private readonly Tensor _output = new(0, 0);
    private readonly Tensor _gradInput = new(0, 0);
    private Tensor? _input;

    public Linear(string name, int inFeatures, int outFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        Name = name;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter(name + ".weight", outFeatures, inFeatures);
        Bias = new Parameter(name + ".bias", outFeatures);
    }

    public string Name { get; }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    /// <summary>(out, in), as PyTorch stores it.</summary>
    public Parameter Weight { get; }

    /// <summary>(out).</summary>
    public Parameter Bias { get; }

    public override IEnumerable<Parameter> Parameters => [Weight, Bias];

    internal override bool CanFuseActivation => true;

    public override void ResetParameters(RandomSource random) =>
        Initialization.PyTorchDefault(Weight, Bias, InFeatures, random);

    // x (N, in) -> y (N, out)
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 2 || input.Dim(1) != InFeatures)
        {
            throw new ArgumentException(
                $"Linear '{Name}' expects input (N, {InFeatures}); got {input}. Flatten the input first.", nameof(input));
        }
        _input = input;
        _output.Resize(input.Dim(0), OutFeatures);
        // y (N, out) = f(x (N, in) W^T (in, out) + b), f the fused activation, if any
        Backend.LinearForward(input, Weight.Value, Bias.Value, FusedActivation, _output);
        return _output;
    }

    // dY (N, out) -> dX (N, in); dWeight (out, in) = dY'^T X, dBias (out) = column sums of dY', dX = dY' W, where
    // dY' = dY f'(y) with a fused activation f (read from the output y), else dY.
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"Linear '{Name}': Backward called before Forward.");
        int n = input.Dim(0);
        if (gradOutput.Rank != 2 || gradOutput.Dim(0) != n || gradOutput.Dim(1) != OutFeatures)
        {
            throw new ArgumentException(
                $"Linear '{Name}' expects gradOutput ({n}, {OutFeatures}) like its last output; got {gradOutput}.", nameof(gradOutput));
        }
        Tensor? gradInput = NeedsInputGradient ? _gradInput.Resize(n, InFeatures) : null;
        Backend.LinearBackward(input, Weight.Value, _output, FusedActivation, gradOutput, Weight.Grad, Bias.Grad, gradInput);
        return gradInput ?? _gradInput.Resize(0, InFeatures);
    }
}
