// 2-D transposed convolution with PyTorch's nn.ConvTranspose2d semantics, forward and backward: the adjoint of a
// Conv2d with the same kernel, stride and padding, so every input pixel scatters a weighted k x k patch into the output.
//   y (N, Cout, Ho, Wo) from x (N, Cin, H, W), W (Cin, Cout, k, k), b (Cout),   Ho = (H - 1) * s - 2p + k + outputPadding
// (output padding may differ between height and width, as PyTorch's output_padding=(h, w) allows).
// Forward is a GEMM to columns (W^T x x) followed by Col2Im; backward unfolds dY with Im2Col. Like Conv2d, the batch
// runs in chunks of images (see ConvolutionLayer), one GEMM each. The weight is (Cin, Cout, k, k), as in PyTorch.
// Square kernel, stride and padding only (no dilation, groups or rectangular kernels); any channel counts and any H, W.
using VaeOnnx.Trainer.Engine.Kernels;

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
        : base("ConvTranspose2d", name, inChannels, outChannels, kernelSize, stride, padding, [inChannels, outChannels, kernelSize, kernelSize])
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

    // The chunk's GEMM result is its columns, (Cout*k*k) x (H*W) floats per image.
    private protected override long WorkPerImage(Grid shape) => (long)Patch * shape.Height * shape.Width;

    private int Patch => OutChannels * KernelSize * KernelSize;

    // One chunk of images: x (Cin, P) gathered from NCHW (P = images * H * W), columns (Cout*k*k, P) = W^T x x, then
    // each image's columns folded (Col2Im) onto its output, which starts as the bias. The output grid is the image of
    // a Conv2d (k, s, p) whose output is the input's H x W grid.
    private protected override void ForwardChunk(int chunk)
    {
        int n0 = Chunks.FirstImage(chunk), count = Chunks.ImagesIn(chunk);
        int pixels = Shape.Height * Shape.Width, columnsWide = count * pixels;
        int outPixels = Shape.OutHeight * Shape.OutWidth;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> x = ThreadScratch.Get(1, InChannels * columnsWide);
        ChannelMajor.Gather(LastInput.Span.Slice(n0 * InChannels * pixels, count * InChannels * pixels), InChannels, pixels, count, x);
        Gemm.Multiply(true, false, Patch, columnsWide, InChannels, 1f, Weight.Value.Span, Patch, x, columnsWide,
            0f, columns, columnsWide);
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int i = 0; i < count; i++)
        {
            Span<float> y = Output.Span.Slice((n0 + i) * OutChannels * outPixels, OutChannels * outPixels);
            for (int co = 0; co < OutChannels; co++)
            {
                y.Slice(co * outPixels, outPixels).Fill(bias[co]);
            }
            Col2Im.Accumulate(columns[(i * pixels)..], columnsWide, OutChannels, Shape.OutHeight, Shape.OutWidth,
                KernelSize, Stride, Padding, Shape.Height, Shape.Width, y);
        }
    }

    // One chunk: dColumns (Cout*k*k, P) = dY unfolded on the input grid; dW partial (Cin, Cout*k*k) = x (Cin, P) x
    // dColumns^T; dX (Cin, P) = W (Cin, Cout*k*k) x dColumns, scattered back to NCHW.
    private protected override void BackwardChunk(int chunk)
    {
        int n0 = Chunks.FirstImage(chunk), count = Chunks.ImagesIn(chunk);
        int pixels = Shape.Height * Shape.Width, columnsWide = count * pixels;
        int outImage = OutChannels * Shape.OutHeight * Shape.OutWidth;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> x = ThreadScratch.Get(1, InChannels * columnsWide);
        for (int i = 0; i < count; i++)
        {
            Im2Col.Expand(CurrentGradOutput.Span.Slice((n0 + i) * outImage, outImage), OutChannels, Shape.OutHeight,
                Shape.OutWidth, KernelSize, Stride, Padding, Shape.Height, Shape.Width, columns[(i * pixels)..], columnsWide);
        }
        ChannelMajor.Gather(LastInput.Span.Slice(n0 * InChannels * pixels, count * InChannels * pixels), InChannels, pixels, count, x);
        Gemm.Multiply(false, true, InChannels, Patch, columnsWide, 1f, x, columnsWide, columns, columnsWide,
            0f, WeightGradPartial(chunk), Patch);
        if (!NeedsInputGradient)
        {
            return;
        }
        Gemm.Multiply(false, false, InChannels, columnsWide, Patch, 1f, Weight.Value.Span, Patch, columns, columnsWide,
            0f, x, columnsWide);
        ChannelMajor.Scatter(x, InChannels, pixels, count, [],
            GradInput.Span.Slice(n0 * InChannels * pixels, count * InChannels * pixels));
    }
}
