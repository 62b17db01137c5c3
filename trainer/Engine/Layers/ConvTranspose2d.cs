// 2-D transposed convolution with PyTorch's nn.ConvTranspose2d semantics, forward and backward: the adjoint of a
// Conv2d with the same kernel, stride and padding, so every input pixel scatters a weighted k x k patch into the output.
//   y (N, Cout, Ho, Wo) from x (N, Cin, H, W), W (Cin, Cout, k, k), b (Cout),   Ho = (H - 1) * s - 2p + k + outputPadding
// (output padding may differ between height and width, as PyTorch's output_padding=(h, w) allows).
// The passes run on the backend (Backends/Convolution: ConvTranspose2dCpu, ConvolutionGpu). The weight is
// (Cin, Cout, k, k), as in PyTorch.
// Square kernel, stride and padding only (no dilation, groups or rectangular kernels); any channel counts and any H, W.
namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class ConvTranspose2d : ConvolutionLayer
{
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
        : base("ConvTranspose2d", transposed: true, name, inChannels, outChannels, kernelSize, stride, padding, [inChannels, outChannels, kernelSize, kernelSize])
    {
        foreach ((int outputPadding, string axis) in new[] { (outputPaddingHeight, "height"), (outputPaddingWidth, "width") })
        {
            if (outputPadding < 0 || outputPadding >= stride)
            {
                throw new ArgumentOutOfRangeException(nameof(outputPadding),
                    $"ConvTranspose2d output padding ({axis}) must be in [0, stride); got {outputPadding} with stride {stride}.");
            }
        }
        OutputPaddingHeight = outputPaddingHeight;
        OutputPaddingWidth = outputPaddingWidth;
    }

    /// <summary>The output padding when it is the same for height and width; throws when it is not (read the two below).</summary>
    public int OutputPadding => OutputPaddingHeight == OutputPaddingWidth
        ? OutputPaddingHeight
        : throw new InvalidOperationException(
            $"This ConvTranspose2d has output padding {OutputPaddingHeight} for height and {OutputPaddingWidth} for width; " +
            "read OutputPaddingHeight and OutputPaddingWidth.");

    public int OutputPaddingHeight { get; }

    public int OutputPaddingWidth { get; }

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

    private protected override (int Height, int Width) OutputGrid(int height, int width) =>
        (OutputSize(height, KernelSize, Stride, Padding, OutputPaddingHeight), OutputSize(width, KernelSize, Stride, Padding, OutputPaddingWidth));
}
