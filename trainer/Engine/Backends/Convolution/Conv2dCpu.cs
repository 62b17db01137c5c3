// Conv2d on the CPU: each chunk of images (see ConvolutionCpu) is unfolded with Im2Col into one
// (Cin*k*k, images*Ho*Wo) matrix, so its convolution is one GEMM. Its GPU counterpart is ConvolutionGpu.
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Backends.Convolution;

public sealed class Conv2dCpu : ConvolutionCpu
{
    private int Patch => Shape.InChannels * Shape.KernelSize * Shape.KernelSize;

    // The chunk's GEMM operand is its im2col columns, (Cin*k*k) x (Ho*Wo) floats per image.
    private protected override long WorkPerImage(in ConvolutionShape shape) =>
        (long)shape.InChannels * shape.KernelSize * shape.KernelSize * shape.OutHeight * shape.OutWidth;

    // One chunk of images: columns (Cin*k*k, P) = im2col of the chunk, y (Cout, P) = W x columns, scattered to NCHW
    // with the bias added. P = images in chunk * Ho * Wo.
    private protected override void ForwardChunk(int chunk)
    {
        int n0 = Chunks.FirstImage(chunk), count = Chunks.ImagesIn(chunk);
        int outChannels = Shape.OutChannels;
        int pixels = Shape.OutHeight * Shape.OutWidth, columnsWide = count * pixels;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> product = ThreadScratch.Get(1, outChannels * columnsWide);
        ExpandChunk(n0, count, columns);
        Gemm.Multiply(false, false, outChannels, columnsWide, Patch, 1f, Weight.Span, Patch, columns, columnsWide,
            0f, product, columnsWide);
        ChannelMajor.Scatter(product, outChannels, pixels, count, Bias.Span,
            Output.Span.Slice(n0 * outChannels * pixels, count * outChannels * pixels));
    }

    // One chunk: dW partial (Cout, Cin*k*k) = dY (Cout, P) x columns^T; dColumns = W^T x dY folded back onto dX.
    private protected override void BackwardChunk(int chunk)
    {
        int n0 = Chunks.FirstImage(chunk), count = Chunks.ImagesIn(chunk);
        int outChannels = Shape.OutChannels;
        int pixels = Shape.OutHeight * Shape.OutWidth, columnsWide = count * pixels;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> gradOutput = ThreadScratch.Get(1, outChannels * columnsWide);
        ChannelMajor.Gather(GradOutput.Span.Slice(n0 * outChannels * pixels, count * outChannels * pixels),
            outChannels, pixels, count, gradOutput);
        ExpandChunk(n0, count, columns);
        Gemm.Multiply(false, true, outChannels, Patch, columnsWide, 1f, gradOutput, columnsWide, columns, columnsWide,
            0f, WeightGradPartial(chunk), Patch);
        if (GradInput is not Tensor gradInput)
        {
            return;
        }
        Gemm.Multiply(true, false, Patch, columnsWide, outChannels, 1f, Weight.Span, Patch, gradOutput, columnsWide,
            0f, columns, columnsWide);
        int imageLength = Shape.InChannels * Shape.Height * Shape.Width;
        for (int i = 0; i < count; i++)
        {
            Span<float> gradImage = gradInput.Span.Slice((n0 + i) * imageLength, imageLength);
            gradImage.Clear();
            Col2Im.Accumulate(columns[(i * pixels)..], columnsWide, Shape.InChannels, Shape.Height, Shape.Width, Shape.KernelSize,
                Shape.Stride, Shape.Padding, Shape.OutHeight, Shape.OutWidth, gradImage);
        }
    }

    private void ExpandChunk(int n0, int count, Span<float> columns)
    {
        int imageLength = Shape.InChannels * Shape.Height * Shape.Width;
        int pixels = Shape.OutHeight * Shape.OutWidth;
        for (int i = 0; i < count; i++)
        {
            Im2Col.Expand(Input.Span.Slice((n0 + i) * imageLength, imageLength), Shape.InChannels, Shape.Height, Shape.Width,
                Shape.KernelSize, Shape.Stride, Shape.Padding, Shape.OutHeight, Shape.OutWidth, columns[(i * pixels)..], count * pixels);
        }
    }
}
