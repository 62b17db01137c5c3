// A fully connected layer, y = x W^T + b, as PyTorch's nn.Linear: Weight (out, in), Bias (out).
// Both passes are single GEMM calls on the layer's backend; it does not handle inputs of rank other than 2 (flatten first).

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
        int n = input.Dim(0);
        _output.Resize(n, OutFeatures);
        Backend.FillRows(Bias.Value, n, _output);
        // y (N, out) = x (N, in) W^T (in, out) + y
        Backend.Gemm(false, true, n, OutFeatures, InFeatures, input, Weight.Value, 1f, _output);
        return _output;
    }

    // dY (N, out) -> dX (N, in); dWeight (out, in) = dY^T X, dBias (out) = column sums of dY.
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"Linear '{Name}': Backward called before Forward.");
        int n = input.Dim(0);
        if (gradOutput.Rank != 2 || gradOutput.Dim(0) != n || gradOutput.Dim(1) != OutFeatures)
        {
            throw new ArgumentException(
                $"Linear '{Name}' expects gradOutput ({n}, {OutFeatures}) like its last output; got {gradOutput}.", nameof(gradOutput));
        }
        Backend.Gemm(true, false, OutFeatures, InFeatures, n, gradOutput, input, 0f, Weight.Grad);
        Backend.SumRows(gradOutput, n, Bias.Grad);

        if (!NeedsInputGradient)
        {
            return _gradInput.Resize(0, InFeatures);
        }
        _gradInput.Resize(n, InFeatures);
        Backend.Gemm(false, false, n, InFeatures, OutFeatures, gradOutput, Weight.Value, 0f, _gradInput);
        return _gradInput;
    }
}
