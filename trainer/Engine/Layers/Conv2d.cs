// 2-D convolution with PyTorch's nn.Conv2d semantics (cross-correlation, zero padding), forward and backward.
//   y (N, Cout, Ho, Wo) = W (Cout, Cin, k, k) * x (N, Cin, H, W) + b (Cout),   Ho = (H + 2p - k) / s + 1
// The passes run on the backend (Backends/Convolution: Conv2dCpu, ConvolutionGpu). The weight is (Cout, Cin, k, k), as in PyTorch.
// Square kernel, stride and padding only (no dilation, groups or rectangular kernels); any channel counts and any H, W.
namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Conv2d : ConvolutionLayer
{
    public Conv2d(string name, int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0)
        : base("Conv2d", transposed: false, name, inChannels, outChannels, kernelSize, stride, padding, [outChannels, inChannels, kernelSize, kernelSize])
    {
    }

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

    private protected override (int Height, int Width) OutputGrid(int height, int width) =>
        (OutputSize(height, KernelSize, Stride, Padding), OutputSize(width, KernelSize, Stride, Padding));
}
