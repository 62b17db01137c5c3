// 2-D transposed convolution with PyTorch's nn.ConvTranspose2d semantics, forward and backward: the adjoint of a
// Conv2d with the same kernel, stride and padding, so every input pixel scatters a weighted k x k patch into the output.
//   y (N, Cout, Ho, Wo) from x (N, Cin, H, W), W (Cin, Cout, k, k), b (Cout),   Ho = (H - 1) * s - 2p + k + outputPadding
// (output padding may differ between height and width, as PyTorch's output_padding=(h, w) allows).
// Forward is a GEMM to columns (W^T x x) followed by Col2Im; backward unfolds dY with Im2Col.
// Square kernel, stride and padding only (no dilation, groups or rectangular kernels); any channel counts and any H, W.
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class ConvTranspose2d : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);
    private readonly Tensor _columns = new(0);
    private Tensor? _input;

    public ConvTranspose2d(string name, int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0,
        int outputPadding = 0)
        : this(name, inChannels, outChannels, kernelSize, stride, padding, outputPadding, outputPadding)
    {
    }

    /// <summary>
    /// With a different output padding for height and width (PyTorch's output_padding=(h, w)), so that a decoder can
    /// restore an image whose height and width differ in parity, e.g. 29 x 30.
    /// </summary>
    public ConvTranspose2d(string name, int inChannels, int outChannels, int kernelSize, int stride, int padding,
        int outputPaddingHeight, int outputPaddingWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        foreach ((int outputPadding, string axis) in new[] { (outputPaddingHeight, "height"), (outputPaddingWidth, "width") })
        {
            if (outputPadding < 0 || outputPadding >= stride)
            {
                throw new ArgumentOutOfRangeException(nameof(outputPadding),
                    $"ConvTranspose2d output padding ({axis}) must be in [0, stride); got {outputPadding} with stride {stride}.");
            }
        }
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPaddingHeight = outputPaddingHeight;
        OutputPaddingWidth = outputPaddingWidth;
        Weight = new Parameter(name + ".weight", inChannels, outChannels, kernelSize, kernelSize);
        Bias = new Parameter(name + ".bias", outChannels);
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    /// <summary>The output padding when it is the same for height and width; throws when it is not (read the two below).</summary>
    public int OutputPadding => OutputPaddingHeight == OutputPaddingWidth
        ? OutputPaddingHeight
        : throw new InvalidOperationException(
            $"This ConvTranspose2d has output padding {OutputPaddingHeight} for height and {OutputPaddingWidth} for width; " +
            "read OutputPaddingHeight and OutputPaddingWidth.");

    public int OutputPaddingHeight { get; }

    public int OutputPaddingWidth { get; }

    /// <summary>(Cin, Cout, k, k) like PyTorch, named name + ".weight".</summary>
    public Parameter Weight { get; }

    /// <summary>(Cout), named name + ".bias".</summary>
    public Parameter Bias { get; }

    public override IEnumerable<Parameter> Parameters => [Weight, Bias];

    /// <summary>(inputSize - 1) * stride - 2 * padding + kernelSize + outputPadding, as PyTorch computes it.</summary>
    public static int OutputSize(int inputSize, int kernelSize, int stride, int padding, int outputPadding)
    {
        long size = (long)(inputSize - 1) * stride - 2L * padding + kernelSize + outputPadding;
        if (inputSize <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0 || outputPadding < 0 || size <= 0)
        {
            throw new ArgumentException(
                $"ConvTranspose2d cannot take input size {inputSize} with kernel {kernelSize}, stride {stride}, " +
                $"padding {padding}, output padding {outputPadding}: the output size would be {size}; use less padding.");
        }
        return (int)size;
    }

    // PyTorch takes fan_in from weight.size(1), which for a transposed convolution is Cout.
    public override void ResetParameters(RandomSource random) =>
        Initialization.PyTorchDefault(Weight, Bias, OutChannels * KernelSize * KernelSize, random);

    /// <summary>x (N, Cin, H, W) -> y (N, Cout, Ho, Wo).</summary>
    public override Tensor Forward(Tensor input)
    {
        var (batch, height, width) = CheckInput(input);
        int outHeight = OutputSize(height, KernelSize, Stride, Padding, OutputPaddingHeight);
        int outWidth = OutputSize(width, KernelSize, Stride, Padding, OutputPaddingWidth);
        int patch = OutChannels * KernelSize * KernelSize;
        int pixels = height * width;
        int outPixels = outHeight * outWidth;
        _input = input;
        _output.Resize(batch, OutChannels, outHeight, outWidth);
        _columns.Resize(patch, pixels);
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int n = 0; n < batch; n++)
        {
            // columns (Cout*k*k, H*W) = W^T (Cout*k*k, Cin) x x_n (Cin, H*W)
            Gemm.Multiply(true, false, patch, pixels, InChannels, 1f, Weight.Value.Span, patch,
                input.Span.Slice(n * InChannels * pixels, InChannels * pixels), pixels, 0f, _columns.Span, pixels);
            Span<float> y = _output.Span.Slice(n * OutChannels * outPixels, OutChannels * outPixels);
            for (int co = 0; co < OutChannels; co++)
            {
                y.Slice(co * outPixels, outPixels).Fill(bias[co]);
            }
            // The output is the image of a Conv2d (k, s, p) whose output is the input's H x W grid.
            Col2Im.Accumulate(_columns.Span, pixels, OutChannels, outHeight, outWidth, KernelSize, Stride, Padding,
                height, width, y);
        }
        return _output;
    }

    /// <summary>dY (N, Cout, Ho, Wo) -> dX (N, Cin, H, W); overwrites dWeight and dBias.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException("ConvTranspose2d.Backward called before Forward.");
        int batch = input.Dim(0), height = input.Dim(2), width = input.Dim(3);
        int outHeight = _output.Dim(2), outWidth = _output.Dim(3);
        CheckGradOutput(gradOutput, batch, outHeight, outWidth);
        int patch = OutChannels * KernelSize * KernelSize;
        int pixels = height * width;
        int outPixels = outHeight * outWidth;
        Span<float> dWeight = Weight.Grad.Span;
        Span<float> dBias = Bias.Grad.Span;
        dBias.Clear();
        _gradInput.Resize(NeedsInputGradient ? [batch, InChannels, height, width] : [0]);
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> dY = gradOutput.Span.Slice(n * OutChannels * outPixels, OutChannels * outPixels);
            for (int co = 0; co < OutChannels; co++)
            {
                dBias[co] += TensorPrimitives.Sum(dY.Slice(co * outPixels, outPixels));
            }
            // dColumns (Cout*k*k, H*W): dY_n unfolded on the input's grid.
            Im2Col.Expand(dY, OutChannels, outHeight, outWidth, KernelSize, Stride, Padding, height, width,
                _columns.Span, pixels);
            ReadOnlySpan<float> x = input.Span.Slice(n * InChannels * pixels, InChannels * pixels);
            // dW (Cin, Cout*k*k) += x_n (Cin, H*W) x dColumns^T (H*W, Cout*k*k)
            Gemm.Multiply(false, true, InChannels, patch, pixels, 1f, x, pixels, _columns.Span, pixels,
                n == 0 ? 0f : 1f, dWeight, patch);
            if (NeedsInputGradient)
            {
                // dX_n (Cin, H*W) = W (Cin, Cout*k*k) x dColumns (Cout*k*k, H*W)
                Gemm.Multiply(false, false, InChannels, pixels, patch, 1f, Weight.Value.Span, patch, _columns.Span, pixels,
                    0f, _gradInput.Span.Slice(n * InChannels * pixels, InChannels * pixels), pixels);
            }
        }
        return _gradInput;
    }

    private (int Batch, int Height, int Width) CheckInput(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != InChannels || input.Dim(0) == 0)
        {
            throw new ArgumentException(
                $"ConvTranspose2d expects input (N, {InChannels}, H, W) with N >= 1; got {input}. " +
                "Check the previous layer's output channels and that images are in NCHW layout.", nameof(input));
        }
        return (input.Dim(0), input.Dim(2), input.Dim(3));
    }

    private void CheckGradOutput(Tensor gradOutput, int batch, int outHeight, int outWidth)
    {
        if (gradOutput.Rank != 4 || gradOutput.Dim(0) != batch || gradOutput.Dim(1) != OutChannels
            || gradOutput.Dim(2) != outHeight || gradOutput.Dim(3) != outWidth)
        {
            throw new ArgumentException(
                $"ConvTranspose2d.Backward expects gradOutput ({batch}, {OutChannels}, {outHeight}, {outWidth}), the shape " +
                $"of the last Forward's output; got {gradOutput}.", nameof(gradOutput));
        }
    }
}
