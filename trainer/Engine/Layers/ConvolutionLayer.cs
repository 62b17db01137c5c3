// What Conv2d and ConvTranspose2d share: a square kernel, stride and padding; a weight and a bias; the batch cut into
// chunks of images (BatchChunks), one parallel task and one GEMM each; weight-gradient partials per chunk summed in
// chunk order and dBias summed image by image, so that results do not depend on the thread count; and the boundary
// checks, whose messages name the layer type. Each subclass keeps its own chunk arithmetic, forward next to backward.
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Layers;

public abstract class ConvolutionLayer : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);
    private readonly Tensor _weightGradPartials = new(0);
    private readonly string _layerType;
    private Tensor? _input;
    private Tensor? _gradOutput;
    private ActionBody? _forwardBody;
    private ActionBody? _backwardBody;

    private protected ConvolutionLayer(string layerType, string name, int inChannels, int outChannels, int kernelSize, int stride,
        int padding, int[] weightShape)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        _layerType = layerType;
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = new Parameter(name + ".weight", weightShape);
        Bias = new Parameter(name + ".bias", outChannels);
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    /// <summary>Named name + ".weight"; its shape is the subclass's (PyTorch's) layout.</summary>
    public Parameter Weight { get; }

    /// <summary>(Cout), named name + ".bias".</summary>
    public Parameter Bias { get; }

    public override IEnumerable<Parameter> Parameters => [Weight, Bias];

    /// <summary>Input and output grids of the last Forward.</summary>
    private protected Grid Shape { get; private set; }

    private protected BatchChunks Chunks { get; private set; }

    /// <summary>The last Forward's input, (N, Cin, H, W).</summary>
    private protected Tensor LastInput => _input ?? throw new InvalidOperationException($"{_layerType}: no Forward has run.");

    /// <summary>The gradient handed to the running Backward, (N, Cout, Ho, Wo).</summary>
    private protected Tensor CurrentGradOutput => _gradOutput ?? throw new InvalidOperationException($"{_layerType}: no Backward is running.");

    private protected Tensor Output => _output;

    private protected Tensor GradInput => _gradInput;

    /// <summary>x (N, Cin, H, W) -> y (N, Cout, Ho, Wo).</summary>
    public sealed override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != InChannels || input.Dim(0) == 0)
        {
            throw new ArgumentException(
                $"{_layerType} expects input (N, {InChannels}, H, W) with N >= 1; got {input}. " +
                "Check the previous layer's output channels and that images are in NCHW layout.", nameof(input));
        }
        int batch = input.Dim(0), height = input.Dim(2), width = input.Dim(3);
        (int outHeight, int outWidth) = OutputGrid(height, width);
        _input = input;
        _output.Resize(batch, OutChannels, outHeight, outWidth);
        Shape = new Grid(height, width, outHeight, outWidth);
        Chunks = BatchChunks.Plan(batch, WorkPerImage(Shape));
        ParallelFor.Run(Chunks.Count, _forwardBody ??= new ActionBody(ForwardChunk));
        return _output;
    }

    /// <summary>dY (N, Cout, Ho, Wo) -> dX (N, Cin, H, W); overwrites dWeight and dBias.</summary>
    public sealed override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{_layerType}.Backward called before Forward.");
        int batch = input.Dim(0);
        if (gradOutput.Rank != 4 || gradOutput.Dim(0) != batch || gradOutput.Dim(1) != OutChannels
            || gradOutput.Dim(2) != Shape.OutHeight || gradOutput.Dim(3) != Shape.OutWidth)
        {
            throw new ArgumentException(
                $"{_layerType}.Backward expects gradOutput ({batch}, {OutChannels}, {Shape.OutHeight}, {Shape.OutWidth}), " +
                $"the shape of the last Forward's output; got {gradOutput}.", nameof(gradOutput));
        }
        _gradOutput = gradOutput;
        _gradInput.Resize(NeedsInputGradient ? [batch, InChannels, Shape.Height, Shape.Width] : [0]);
        _weightGradPartials.Resize(Chunks.Count, Weight.Grad.Length);
        ParallelFor.Run(Chunks.Count, _backwardBody ??= new ActionBody(BackwardChunk));
        Span<float> dWeight = Weight.Grad.Span;
        _weightGradPartials.Span[..dWeight.Length].CopyTo(dWeight);
        for (int chunk = 1; chunk < Chunks.Count; chunk++)
        {
            TensorPrimitives.Add(dWeight, WeightGradPartial(chunk), dWeight);
        }
        SumPerChannel(gradOutput.Span, batch, OutChannels, Shape.OutHeight * Shape.OutWidth, Bias.Grad.Span);
        _gradOutput = null;
        return _gradInput;
    }

    /// <summary>Where chunk <paramref name="chunk"/>'s BackwardChunk writes its share of dWeight.</summary>
    private protected Span<float> WeightGradPartial(int chunk) =>
        _weightGradPartials.Span.Slice(chunk * Weight.Grad.Length, Weight.Grad.Length);

    /// <summary>The output (Ho, Wo) for an input (H, W); throws with the layer's own message when there is none.</summary>
    private protected abstract (int Height, int Width) OutputGrid(int height, int width);

    /// <summary>Floats one image occupies in the chunk's GEMM operand: what BatchChunks sizes chunks by.</summary>
    private protected abstract long WorkPerImage(Grid shape);

    /// <summary>Writes Output for the images of one chunk.</summary>
    private protected abstract void ForwardChunk(int chunk);

    /// <summary>Writes WeightGradPartial(chunk) and, when NeedsInputGradient, GradInput for the images of one chunk.</summary>
    private protected abstract void BackwardChunk(int chunk);

    /// <summary>dBias[c] = sum over images n and pixels of dY[n, c, :], in image order.</summary>
    private static void SumPerChannel(ReadOnlySpan<float> gradOutput, int batch, int channels, int pixels, Span<float> dBias)
    {
        dBias.Clear();
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                dBias[c] += TensorPrimitives.Sum(gradOutput.Slice((n * channels + c) * pixels, pixels));
            }
        }
    }

    private protected readonly record struct Grid(int Height, int Width, int OutHeight, int OutWidth);
}
