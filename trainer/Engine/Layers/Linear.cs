// A fully connected layer, y = x W^T + b, as PyTorch's nn.Linear: Weight (out, in), Bias (out).
// Both passes are single GEMM calls; it does not handle inputs of rank other than 2 (flatten first).
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Kernels;

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
        Span<float> y = _output.Span;
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int row = 0; row < n; row++)
        {
            bias.CopyTo(y.Slice(row * OutFeatures, OutFeatures));
        }
        // y (N, out) = x (N, in) W^T (in, out) + y
        Gemm.Multiply(false, true, n, OutFeatures, InFeatures,
            1f, input.Span, InFeatures, Weight.Value.Span, InFeatures, 1f, y, OutFeatures);
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
        ReadOnlySpan<float> dY = gradOutput.Span;

        Gemm.Multiply(true, false, OutFeatures, InFeatures, n,
            1f, dY, OutFeatures, input.Span, InFeatures, 0f, Weight.Grad.Span, InFeatures);

        Span<float> dBias = Bias.Grad.Span;
        dBias.Clear();
        for (int row = 0; row < n; row++)
        {
            TensorPrimitives.Add(dBias, dY.Slice(row * OutFeatures, OutFeatures), dBias);
        }

        if (!NeedsInputGradient)
        {
            return _gradInput.Resize(0, InFeatures);
        }
        _gradInput.Resize(n, InFeatures);
        Gemm.Multiply(false, false, n, InFeatures, OutFeatures,
            1f, dY, OutFeatures, Weight.Value.Span, InFeatures, 0f, _gradInput.Span, InFeatures);
        return _gradInput;
    }
}
