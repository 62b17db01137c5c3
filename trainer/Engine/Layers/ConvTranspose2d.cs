// 2-D transposed convolution with PyTorch's nn.ConvTranspose2d semantics, forward and backward: the adjoint of a
// Conv2d with the same kernel, stride and padding, so every input pixel scatters a weighted k x k patch into the output.
//   y (N, Cout, Ho, Wo) from x (N, Cin, H, W), W (Cin, Cout, k, k), b (Cout),   Ho = (H - 1) * s - 2p + k + outputPadding
// (output padding may differ between height and width, as PyTorch's output_padding=(h, w) allows).
// Forward is a GEMM to columns (W^T x x) followed by Col2Im; backward unfolds dY with Im2Col. Like Conv2d, the batch
// runs in chunks of images (BatchChunks), one parallel task and one GEMM each, with weight-gradient partials summed
// in chunk order so that results do not depend on the thread count.
// Square kernel, stride and padding only (no dilation, groups or rectangular kernels); any channel counts and any H, W.
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class ConvTranspose2d : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _gradInput = new(0);
    private readonly Tensor _weightGradPartials = new(0);
    private Tensor? _input;
    private Tensor? _gradOutput;
    private Shape _shape;
    private BatchChunks _chunks;
    private ActionBody? _forwardBody;
    private ActionBody? _backwardBody;

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
        var (batch, height, width) = ConvolutionShapes.CheckInput("ConvTranspose2d", input, InChannels);
        int outHeight = OutputSize(height, KernelSize, Stride, Padding, OutputPaddingHeight);
        int outWidth = OutputSize(width, KernelSize, Stride, Padding, OutputPaddingWidth);
        _input = input;
        _output.Resize(batch, OutChannels, outHeight, outWidth);
        _shape = new Shape(height, width, outHeight, outWidth);
        _chunks = BatchChunks.Plan(batch, (long)Patch * height * width);
        ParallelFor.Run(_chunks.Count, _forwardBody ??= new ActionBody(ForwardChunk));
        return _output;
    }

    /// <summary>dY (N, Cout, Ho, Wo) -> dX (N, Cin, H, W); overwrites dWeight and dBias.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException("ConvTranspose2d.Backward called before Forward.");
        int batch = input.Dim(0);
        ConvolutionShapes.CheckGradOutput("ConvTranspose2d", gradOutput, batch, OutChannels, _shape.OutHeight, _shape.OutWidth);
        _gradOutput = gradOutput;
        _gradInput.Resize(NeedsInputGradient ? [batch, InChannels, _shape.Height, _shape.Width] : [0]);
        _weightGradPartials.Resize(_chunks.Count, Weight.Grad.Length);
        ParallelFor.Run(_chunks.Count, _backwardBody ??= new ActionBody(BackwardChunk));
        // Chunk partials are summed in chunk order, and dBias image by image: the same order for any thread count.
        Span<float> dWeight = Weight.Grad.Span;
        _weightGradPartials.Span[..dWeight.Length].CopyTo(dWeight);
        for (int chunk = 1; chunk < _chunks.Count; chunk++)
        {
            TensorPrimitives.Add(dWeight, _weightGradPartials.Span.Slice(chunk * dWeight.Length, dWeight.Length), dWeight);
        }
        Conv2d.SumPerChannel(gradOutput.Span, batch, OutChannels, _shape.OutHeight * _shape.OutWidth, Bias.Grad.Span);
        _gradOutput = null;
        return _gradInput;
    }

    private int Patch => OutChannels * KernelSize * KernelSize;

    // One chunk of images: x (Cin, P) gathered from NCHW (P = images * H * W), columns (Cout*k*k, P) = W^T x x, then
    // each image's columns folded (Col2Im) onto its output, which starts as the bias. The output grid is the image of
    // a Conv2d (k, s, p) whose output is the input's H x W grid.
    private void ForwardChunk(int chunk)
    {
        int n0 = _chunks.FirstImage(chunk), count = _chunks.ImagesIn(chunk);
        int pixels = _shape.Height * _shape.Width, columnsWide = count * pixels;
        int outPixels = _shape.OutHeight * _shape.OutWidth;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> x = ThreadScratch.Get(1, InChannels * columnsWide);
        ChannelMajor.Gather(_input!.Span.Slice(n0 * InChannels * pixels, count * InChannels * pixels), InChannels, pixels, count, x);
        Gemm.Multiply(true, false, Patch, columnsWide, InChannels, 1f, Weight.Value.Span, Patch, x, columnsWide,
            0f, columns, columnsWide);
        ReadOnlySpan<float> bias = Bias.Value.Span;
        for (int i = 0; i < count; i++)
        {
            Span<float> y = _output.Span.Slice((n0 + i) * OutChannels * outPixels, OutChannels * outPixels);
            for (int co = 0; co < OutChannels; co++)
            {
                y.Slice(co * outPixels, outPixels).Fill(bias[co]);
            }
            Col2Im.Accumulate(columns[(i * pixels)..], columnsWide, OutChannels, _shape.OutHeight, _shape.OutWidth,
                KernelSize, Stride, Padding, _shape.Height, _shape.Width, y);
        }
    }

    // One chunk: dColumns (Cout*k*k, P) = dY unfolded on the input grid; dW partial (Cin, Cout*k*k) = x (Cin, P) x
    // dColumns^T; dX (Cin, P) = W (Cin, Cout*k*k) x dColumns, scattered back to NCHW.
    private void BackwardChunk(int chunk)
    {
        int n0 = _chunks.FirstImage(chunk), count = _chunks.ImagesIn(chunk);
        int pixels = _shape.Height * _shape.Width, columnsWide = count * pixels;
        int outImage = OutChannels * _shape.OutHeight * _shape.OutWidth;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> x = ThreadScratch.Get(1, InChannels * columnsWide);
        for (int i = 0; i < count; i++)
        {
            Im2Col.Expand(_gradOutput!.Span.Slice((n0 + i) * outImage, outImage), OutChannels, _shape.OutHeight,
                _shape.OutWidth, KernelSize, Stride, Padding, _shape.Height, _shape.Width, columns[(i * pixels)..], columnsWide);
        }
        ChannelMajor.Gather(_input!.Span.Slice(n0 * InChannels * pixels, count * InChannels * pixels), InChannels, pixels, count, x);
        int weightLength = Weight.Grad.Length;
        Gemm.Multiply(false, true, InChannels, Patch, columnsWide, 1f, x, columnsWide, columns, columnsWide,
            0f, _weightGradPartials.Span.Slice(chunk * weightLength, weightLength), Patch);
        if (!NeedsInputGradient)
        {
            return;
        }
        Gemm.Multiply(false, false, InChannels, columnsWide, Patch, 1f, Weight.Value.Span, Patch, columns, columnsWide,
            0f, x, columnsWide);
        ChannelMajor.Scatter(x, InChannels, pixels, count, [],
            _gradInput.Span.Slice(n0 * InChannels * pixels, count * InChannels * pixels));
    }

    private readonly record struct Shape(int Height, int Width, int OutHeight, int OutWidth);
}
