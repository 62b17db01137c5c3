// Reshapes (N, C*H*W) to (N, C, H, W), like PyTorch's x.view(-1, C, H, W) and ONNX Reshape with shape [-1, C, H, W].
// The batch size follows the input; the other dimensions are fixed at construction. It copies nothing: its output is a
// view of its input (Tensor.ViewOf), and its input gradient a view of its output gradient.
namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Reshape : Layer
{
    private readonly Tensor _output = new(0, 0, 0, 0);
    private readonly Tensor _gradInput = new(0, 0);

    public Reshape(int channels, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Channels = channels;
        Height = height;
        Width = width;
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int Features => Channels * Height * Width;

    // x (N, C*H*W) -> y (N, C, H, W)
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 2 || input.Dim(1) != Features)
        {
            throw new ArgumentException(
                $"Reshape to (N, {Channels}, {Height}, {Width}) expects input (N, {Features}); got {input}.", nameof(input));
        }
        return _output.ViewOf(input, input.Dim(0), Channels, Height, Width);
    }

    // dY (N, C, H, W) -> dX (N, C*H*W)
    public override Tensor Backward(Tensor gradOutput)
    {
        if (gradOutput.Length != _output.Length)
        {
            throw new ArgumentException($"Reshape expects gradOutput shaped like its last output {_output}; got {gradOutput}.", nameof(gradOutput));
        }
        if (!NeedsInputGradient)
        {
            return _gradInput.Resize(0, Features);
        }
        return _gradInput.ViewOf(gradOutput, _output.Dim(0), Features);
    }
}
