// 2-D convolution with PyTorch's nn.Conv2d semantics (cross-correlation, zero padding), forward and backward.
//   y (N, Cout, Ho, Wo) = W (Cout, Cin, k, k) * x (N, Cin, H, W) + b (Cout),   Ho = (H + 2p - k) / s + 1
// Each chunk of images (see ConvolutionLayer) is unfolded with Im2Col into one (Cin*k*k, images*Ho*Wo) matrix, so
// its convolution is one GEMM. The weight is (Cout, Cin, k, k), as in PyTorch.
// Square kernel, stride and padding only (no dilation, groups or rectangular kernels); any channel counts and any H, W.
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Conv2d : ConvolutionLayer
{
    public Conv2d(string name, int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0)
        : base("Conv2d", name, inChannels, outChannels, kernelSize, stride, padding, [outChannels, inChannels, kernelSize, kernelSize])
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

    // The chunk's GEMM operand is its im2col columns, (Cin*k*k) x (Ho*Wo) floats per image.
    private protected override long WorkPerImage(Grid shape) => (long)Patch * shape.OutHeight * shape.OutWidth;

    private int Patch => InChannels * KernelSize * KernelSize;

    // One chunk of images: columns (Cin*k*k, P) = im2col of the chunk, y (Cout, P) = W x columns, scattered to NCHW
    // with the bias added. P = images in chunk * Ho * Wo.
    private protected override void ForwardChunk(int chunk)
    {
        int n0 = Chunks.FirstImage(chunk), count = Chunks.ImagesIn(chunk);
        int pixels = Shape.OutHeight * Shape.OutWidth, columnsWide = count * pixels;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> product = ThreadScratch.Get(1, OutChannels * columnsWide);
        ExpandChunk(n0, count, columns);
        Gemm.Multiply(false, false, OutChannels, columnsWide, Patch, 1f, Weight.Value.Span, Patch, columns, columnsWide,
            0f, product, columnsWide);
        ChannelMajor.Scatter(product, OutChannels, pixels, count, Bias.Value.Span,
            Output.Span.Slice(n0 * OutChannels * pixels, count * OutChannels * pixels));
    }

    // One chunk: dW partial (Cout, Cin*k*k) = dY (Cout, P) x columns^T; dColumns = W^T x dY folded back onto dX.
    private protected override void BackwardChunk(int chunk)
    {
        int n0 = Chunks.FirstImage(chunk), count = Chunks.ImagesIn(chunk);
        int pixels = Shape.OutHeight * Shape.OutWidth, columnsWide = count * pixels;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> gradOutput = ThreadScratch.Get(1, OutChannels * columnsWide);
        ChannelMajor.Gather(CurrentGradOutput.Span.Slice(n0 * OutChannels * pixels, count * OutChannels * pixels),
            OutChannels, pixels, count, gradOutput);
        ExpandChunk(n0, count, columns);
        Gemm.Multiply(false, true, OutChannels, Patch, columnsWide, 1f, gradOutput, columnsWide, columns, columnsWide,
            0f, WeightGradPartial(chunk), Patch);
        if (!NeedsInputGradient)
        {
            return;
        }
        Gemm.Multiply(true, false, Patch, columnsWide, OutChannels, 1f, Weight.Value.Span, Patch, gradOutput, columnsWide,
            0f, columns, columnsWide);
        int imageLength = InChannels * Shape.Height * Shape.Width;
        for (int i = 0; i < count; i++)
        {
            Span<float> gradImage = GradInput.Span.Slice((n0 + i) * imageLength, imageLength);
            gradImage.Clear();
            Col2Im.Accumulate(columns[(i * pixels)..], columnsWide, InChannels, Shape.Height, Shape.Width, KernelSize,
                Stride, Padding, Shape.OutHeight, Shape.OutWidth, gradImage);
        }
    }

    private void ExpandChunk(int n0, int count, Span<float> columns)
    {
        int imageLength = InChannels * Shape.Height * Shape.Width;
        int pixels = Shape.OutHeight * Shape.OutWidth;
        for (int i = 0; i < count; i++)
        {
            Im2Col.Expand(LastInput.Span.Slice((n0 + i) * imageLength, imageLength), InChannels, Shape.Height, Shape.Width,
                KernelSize, Stride, Padding, Shape.OutHeight, Shape.OutWidth, columns[(i * pixels)..], count * pixels);
        }
    }
}
