// Flattens (N, C, H, W) (or any rank >= 2) to (N, C*H*W), like PyTorch's x.flatten(1); the order is row-major,
// so it matches ONNX Flatten(axis = 1). It copies nothing: its output is a view of its input (Tensor.ViewOf), and its
// input gradient a view of its output gradient, on the host and on a GPU alike.
namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Flatten : Layer
{
    private readonly Tensor _output = new(0, 0);
    private readonly Tensor _gradInput = new(0);
    private int[] _inputShape = [];

    // x (N, C, H, W) -> y (N, C*H*W)
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank < 2)
        {
            throw new ArgumentException($"Flatten expects an input of rank 2 or more, (N, ...); got {input}.", nameof(input));
        }
        if (_inputShape.Length != input.Rank)
        {
            _inputShape = new int[input.Rank];
        }
        input.Shape.CopyTo(_inputShape);
        int n = input.Dim(0);
        return _output.ViewOf(input, n, n == 0 ? 0 : input.Length / n);
    }

    // dY (N, C*H*W) -> dX (N, C, H, W)
    public override Tensor Backward(Tensor gradOutput)
    {
        if (gradOutput.Length != _output.Length)
        {
            throw new ArgumentException($"Flatten expects gradOutput shaped like its last output {_output}; got {gradOutput}.", nameof(gradOutput));
        }
        if (!NeedsInputGradient)
        {
            return _gradInput.Resize(0);
        }
        return _gradInput.ViewOf(gradOutput, _inputShape);
    }
}
