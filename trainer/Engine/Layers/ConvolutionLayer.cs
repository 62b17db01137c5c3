// What Conv2d and ConvTranspose2d share: a square kernel, stride and padding; a weight and a bias; the boundary checks,
// whose messages name the layer type; and the hand-off of both passes to the backend's convolution kernels
// (Backends/Convolution: chunked over threads on the CPU, implicit GEMMs on the GPU, which can also apply a fused
// activation to the output and read the gradient through it: Layers/LayerFusion).
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Convolution;

namespace VaeOnnx.Trainer.Engine.Layers;

public abstract class ConvolutionLayer : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);
    private readonly string _layerType;
    private readonly bool _transposed;
    private Tensor? _input;
    private ConvolutionKernels? _kernels;
    private ComputeBackend? _kernelsBackend;
    private ConvolutionShape _shape;

    private protected ConvolutionLayer(string layerType, bool transposed, string name, int inChannels, int outChannels, int kernelSize,
        int stride, int padding, int[] weightShape)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        _layerType = layerType;
        _transposed = transposed;
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

    internal override bool CanFuseActivation => true;

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
        _shape = new ConvolutionShape(batch, InChannels, OutChannels, KernelSize, Stride, Padding, height, width, outHeight, outWidth);
        Kernels.Forward(_shape, input, Weight.Value, Bias.Value, FusedActivation, _output);
        return _output;
    }

    /// <summary>dY (N, Cout, Ho, Wo) -> dX (N, Cin, H, W); overwrites dWeight and dBias.</summary>
    public sealed override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException($"{_layerType}.Backward called before Forward.");
        int batch = input.Dim(0);
        if (gradOutput.Rank != 4 || gradOutput.Dim(0) != batch || gradOutput.Dim(1) != OutChannels
            || gradOutput.Dim(2) != _shape.OutHeight || gradOutput.Dim(3) != _shape.OutWidth)
        {
            throw new ArgumentException(
                $"{_layerType}.Backward expects gradOutput ({batch}, {OutChannels}, {_shape.OutHeight}, {_shape.OutWidth}), " +
                $"the shape of the last Forward's output; got {gradOutput}.", nameof(gradOutput));
        }
        _gradInput.Resize(NeedsInputGradient ? [batch, InChannels, _shape.Height, _shape.Width] : [0]);
        Kernels.Backward(_shape, input, Weight.Value, _output, FusedActivation, gradOutput, Weight.Grad, Bias.Grad, NeedsInputGradient ? _gradInput : null);
        return _gradInput;
    }

    /// <summary>The output (Ho, Wo) for an input (H, W); throws with the layer's own message when there is none.</summary>
    private protected abstract (int Height, int Width) OutputGrid(int height, int width);

    private ConvolutionKernels Kernels
    {
        get
        {
            if (_kernels is null || !ReferenceEquals(_kernelsBackend, Backend))
            {
                _kernels = Backend.CreateConvolution(_transposed);
                _kernelsBackend = Backend;
            }
            return _kernels;
        }
    }
}
