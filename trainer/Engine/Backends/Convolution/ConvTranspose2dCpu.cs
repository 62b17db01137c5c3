// ConvTranspose2d on the CPU: forward is a GEMM to columns (W^T x x) followed by Col2Im, backward unfolds dY with
// Im2Col; the batch runs in chunks of images (see ConvolutionCpu), one GEMM each. Its GPU counterpart is ConvolutionGpu.
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Backends.Convolution;

public sealed class ConvTranspose2dCpu : ConvolutionCpu
{
    private int Patch => Shape.OutChannels * Shape.KernelSize * Shape.KernelSize;

    // The chunk's GEMM result is its columns, (Cout*k*k) x (H*W) floats per image.
    private protected override long WorkPerImage(in ConvolutionShape shape) =>
        (long)shape.OutChannels * shape.KernelSize * shape.KernelSize * shape.Height * shape.Width;

    // One chunk of images: x (Cin, P) gathered from NCHW (P = images * H * W), columns (Cout*k*k, P) = W^T x x, then
    // each image's columns folded (Col2Im) onto its output, which starts as the bias. The output grid is the image of
    // a Conv2d (k, s, p) whose output is the input's H x W grid.
    private protected override void ForwardChunk(int chunk)
    {
        int n0 = Chunks.FirstImage(chunk), count = Chunks.ImagesIn(chunk);
        int inChannels = Shape.InChannels, outChannels = Shape.OutChannels;
        int pixels = Shape.Height * Shape.Width, columnsWide = count * pixels;
        int outPixels = Shape.OutHeight * Shape.OutWidth;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> x = ThreadScratch.Get(1, inChannels * columnsWide);
        ChannelMajor.Gather(Input.Span.Slice(n0 * inChannels * pixels, count * inChannels * pixels), inChannels, pixels, count, x);
        Gemm.Multiply(true, false, Patch, columnsWide, inChannels, 1f, Weight.Span, Patch, x, columnsWide,
            0f, columns, columnsWide);
        ReadOnlySpan<float> bias = Bias.Span;
        for (int i = 0; i < count; i++)
        {
            Span<float> y = Output.Span.Slice((n0 + i) * outChannels * outPixels, outChannels * outPixels);
            for (int co = 0; co < outChannels; co++)
            {
                y.Slice(co * outPixels, outPixels).Fill(bias[co]);
            }
            Col2Im.Accumulate(columns[(i * pixels)..], columnsWide, outChannels, Shape.OutHeight, Shape.OutWidth,
                Shape.KernelSize, Shape.Stride, Shape.Padding, Shape.Height, Shape.Width, y);
        }
    }

    // One chunk: dColumns (Cout*k*k, P) = dY unfolded on the input grid; dW partial (Cin, Cout*k*k) = x (Cin, P) x
    // dColumns^T; dX (Cin, P) = W (Cin, Cout*k*k) x dColumns, scattered back to NCHW.
    private protected override void BackwardChunk(int chunk)
    {
        int n0 = Chunks.FirstImage(chunk), count = Chunks.ImagesIn(chunk);
        int inChannels = Shape.InChannels;
        int pixels = Shape.Height * Shape.Width, columnsWide = count * pixels;
        int outImage = Shape.OutChannels * Shape.OutHeight * Shape.OutWidth;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> x = ThreadScratch.Get(1, inChannels * columnsWide);
        for (int i = 0; i < count; i++)
        {
            Im2Col.Expand(GradOutput.Span.Slice((n0 + i) * outImage, outImage), Shape.OutChannels, Shape.OutHeight,
                Shape.OutWidth, Shape.KernelSize, Shape.Stride, Shape.Padding, Shape.Height, Shape.Width, columns[(i * pixels)..], columnsWide);
        }
        ChannelMajor.Gather(Input.Span.Slice(n0 * inChannels * pixels, count * inChannels * pixels), inChannels, pixels, count, x);
        Gemm.Multiply(false, true, inChannels, Patch, columnsWide, 1f, x, columnsWide, columns, columnsWide,
            0f, WeightGradPartial(chunk), Patch);
        if (GradInput is not Tensor gradInput)
        {
            return;
        }
        Gemm.Multiply(false, false, inChannels, columnsWide, Patch, 1f, Weight.Span, Patch, columns, columnsWide,
            0f, x, columnsWide);
        ChannelMajor.Scatter(x, inChannels, pixels, count, [],
            gradInput.Span.Slice(n0 * inChannels * pixels, count * inChannels * pixels));
    }
}
