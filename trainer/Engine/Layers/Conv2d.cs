// 2-D convolution with PyTorch's nn.Conv2d semantics (cross-correlation, zero padding), forward and backward.
//   y (N, Cout, Ho, Wo) = W (Cout, Cin, k, k) * x (N, Cin, H, W) + b (Cout),   Ho = (H + 2p - k) / s + 1
// Each image is unfolded with Im2Col into a (Cin*k*k, Ho*Wo) matrix so the convolution is one GEMM.
// Square kernel, stride and padding only (no dilation, groups or rectangular kernels); any channel counts and any H, W.
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Conv2d : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);
    private readonly Tensor _columns = new(0);
    private Tensor? _input;

    public Conv2d(string name, int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = new Parameter(name + ".weight", outChannels, inChannels, kernelSize, kernelSize);
        Bias = new Parameter(name + ".bias", outChannels);
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int KernelSize { get; }

    public int Stride { get; }

    public int Padding { get; }

    /// <summary>(Cout, Cin, k, k), named name + ".weight".</summary>
    public Parameter Weight { get; }

    /// <summary>(Cout), named name + ".bias".</summary>
    public Parameter Bias { get; }

    public override IEnumerable<Parameter> Parameters => [Weight, Bias];

    /// <summary>(inputSize + 2 * padding - kernelSize) / stride + 1, as PyTorch computes it.</summary>
    public static int OutputSize(int inputSize, int kernelSize, int stride, int padding)
    {
        if (inputSize <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0 || inputSize + 2 * padding < kernelSize)
        {
            throw new ArgumentException(
                $"Conv2d cannot take input size {inputSize} with kernel {kernelSize}, stride {stride}, padding {padding}: " +
                "the padded input must be at least as large as the kernel; use a larger input or more padding.");
        }
        return (inputSize + 2 * padding - kernelSize) / stride + 1;
    }

    public override void ResetParameters(RandomSource random) =>
        Initialization.PyTorchDefault(Weight, Bias, InChannels * KernelSize * KernelSize, random);

    /// <summary>x (N, Cin, H, W) -> y (N, Cout, Ho, Wo).</summary>
    public override Tensor Forward(Tensor input)
    {
        var (batch, height, width) = CheckInput(input);
        int outHeight = OutputSize(height, KernelSize, Stride, Padding);
        int outWidth = OutputSize(width, KernelSize, Stride, Padding);
        int patch = InChannels * KernelSize * KernelSize;
        int pixels = outHeight * outWidth;
        _input = input;
        _output.Resize(batch, OutChannels, outHeight, outWidth);
        _columns.Resize(patch, pixels);
        ReadOnlySpan<float> weight = Weight.Value.Span;
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int n = 0; n < batch; n++)
        {
            Im2Col.Expand(input.Span.Slice(n * InChannels * height * width, InChannels * height * width),
                InChannels, height, width, KernelSize, Stride, Padding, outHeight, outWidth, _columns.Span, pixels);
            Span<float> y = _output.Span.Slice(n * OutChannels * pixels, OutChannels * pixels);
            for (int co = 0; co < OutChannels; co++)
            {
                y.Slice(co * pixels, pixels).Fill(bias[co]);
            }
            // y_n (Cout, Ho*Wo) += W (Cout, Cin*k*k) x columns (Cin*k*k, Ho*Wo)
            Gemm.Multiply(false, false, OutChannels, pixels, patch, 1f, weight, patch, _columns.Span, pixels, 1f, y, pixels);
        }
        return _output;
    }

    /// <summary>dY (N, Cout, Ho, Wo) -> dX (N, Cin, H, W); overwrites dWeight and dBias.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException("Conv2d.Backward called before Forward.");
        int batch = input.Dim(0), height = input.Dim(2), width = input.Dim(3);
        int outHeight = _output.Dim(2), outWidth = _output.Dim(3);
        CheckGradOutput(gradOutput, batch, outHeight, outWidth);
        int patch = InChannels * KernelSize * KernelSize;
        int pixels = outHeight * outWidth;
        Span<float> dWeight = Weight.Grad.Span;
        Span<float> dBias = Bias.Grad.Span;
        dBias.Clear();
        if (NeedsInputGradient)
        {
            _gradInput.Resize(batch, InChannels, height, width);
            _gradInput.Clear();
        }
        else
        {
            _gradInput.Resize(0);
        }
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> dY = gradOutput.Span.Slice(n * OutChannels * pixels, OutChannels * pixels);
            for (int co = 0; co < OutChannels; co++)
            {
                dBias[co] += TensorPrimitives.Sum(dY.Slice(co * pixels, pixels));
            }
            Im2Col.Expand(input.Span.Slice(n * InChannels * height * width, InChannels * height * width),
                InChannels, height, width, KernelSize, Stride, Padding, outHeight, outWidth, _columns.Span, pixels);
            // dW (Cout, Cin*k*k) += dY_n (Cout, Ho*Wo) x columns^T (Ho*Wo, Cin*k*k)
            Gemm.Multiply(false, true, OutChannels, patch, pixels, 1f, dY, pixels, _columns.Span, pixels,
                n == 0 ? 0f : 1f, dWeight, patch);
            if (NeedsInputGradient)
            {
                // dColumns (Cin*k*k, Ho*Wo) = W^T (Cin*k*k, Cout) x dY_n (Cout, Ho*Wo), then folded back onto dX_n.
                Gemm.Multiply(true, false, patch, pixels, OutChannels, 1f, Weight.Value.Span, patch, dY, pixels,
                    0f, _columns.Span, pixels);
                Col2Im.Accumulate(_columns.Span, pixels, InChannels, height, width, KernelSize, Stride, Padding,
                    outHeight, outWidth, _gradInput.Span.Slice(n * InChannels * height * width, InChannels * height * width));
            }
        }
        return _gradInput;
    }

    private (int Batch, int Height, int Width) CheckInput(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != InChannels || input.Dim(0) == 0)
        {
            throw new ArgumentException(
                $"Conv2d expects input (N, {InChannels}, H, W) with N >= 1; got {input}. " +
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
                $"Conv2d.Backward expects gradOutput ({batch}, {OutChannels}, {outHeight}, {outWidth}), the shape of the last " +
                $"Forward's output; got {gradOutput}.", nameof(gradOutput));
        }
    }
}
