// 2-D convolution with PyTorch's nn.Conv2d semantics (cross-correlation, zero padding), forward and backward.
//   y (N, Cout, Ho, Wo) = W (Cout, Cin, k, k) * x (N, Cin, H, W) + b (Cout),   Ho = (H + 2p - k) / s + 1
// The batch is cut into chunks of images (BatchChunks), one parallel task each: a chunk is unfolded with Im2Col into
// one (Cin*k*k, images*Ho*Wo) matrix so its convolution is one GEMM; weight gradients are per-chunk partials summed
// in chunk order, so results do not depend on the thread count.
// Square kernel, stride and padding only (no dilation, groups or rectangular kernels); any channel counts and any H, W.
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Layers;

public sealed class Conv2d : Layer
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
        var (batch, height, width) = ConvolutionShapes.CheckInput("Conv2d", input, InChannels);
        int outHeight = OutputSize(height, KernelSize, Stride, Padding);
        int outWidth = OutputSize(width, KernelSize, Stride, Padding);
        _input = input;
        _output.Resize(batch, OutChannels, outHeight, outWidth);
        _shape = new Shape(height, width, outHeight, outWidth);
        _chunks = BatchChunks.Plan(batch, (long)Patch * outHeight * outWidth);
        ParallelFor.Run(_chunks.Count, _forwardBody ??= new ActionBody(ForwardChunk));
        return _output;
    }

    /// <summary>dY (N, Cout, Ho, Wo) -> dX (N, Cin, H, W); overwrites dWeight and dBias.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Tensor input = _input ?? throw new InvalidOperationException("Conv2d.Backward called before Forward.");
        int batch = input.Dim(0);
        ConvolutionShapes.CheckGradOutput("Conv2d", gradOutput, batch, OutChannels, _shape.OutHeight, _shape.OutWidth);
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
        SumPerChannel(gradOutput.Span, batch, OutChannels, _shape.OutHeight * _shape.OutWidth, Bias.Grad.Span);
        _gradOutput = null;
        return _gradInput;
    }

    /// <summary>dBias[c] = sum over images n and pixels of dY[n, c, :], in image order.</summary>
    internal static void SumPerChannel(ReadOnlySpan<float> gradOutput, int batch, int channels, int pixels, Span<float> dBias)
    {
        dBias.Clear();
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                dBias[c] += TensorPrimitives.Sum(gradOutput.Slice((n * channels + c) * pixels, pixels));
            }
        }
    }

    private int Patch => InChannels * KernelSize * KernelSize;

    // One chunk of images: columns (Cin*k*k, P) = im2col of the chunk, y (Cout, P) = W x columns, scattered to NCHW
    // with the bias added. P = images in chunk * Ho * Wo.
    private void ForwardChunk(int chunk)
    {
        int n0 = _chunks.FirstImage(chunk), count = _chunks.ImagesIn(chunk);
        int pixels = _shape.OutHeight * _shape.OutWidth, columnsWide = count * pixels;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> product = ThreadScratch.Get(1, OutChannels * columnsWide);
        ExpandChunk(n0, count, columns);
        Gemm.Multiply(false, false, OutChannels, columnsWide, Patch, 1f, Weight.Value.Span, Patch, columns, columnsWide,
            0f, product, columnsWide);
        ChannelMajor.Scatter(product, OutChannels, pixels, count, Bias.Value.Span,
            _output.Span.Slice(n0 * OutChannels * pixels, count * OutChannels * pixels));
    }

    // One chunk: dW partial (Cout, Cin*k*k) = dY (Cout, P) x columns^T; dColumns = W^T x dY folded back onto dX.
    private void BackwardChunk(int chunk)
    {
        int n0 = _chunks.FirstImage(chunk), count = _chunks.ImagesIn(chunk);
        int pixels = _shape.OutHeight * _shape.OutWidth, columnsWide = count * pixels;
        Span<float> columns = ThreadScratch.Get(0, Patch * columnsWide);
        Span<float> gradOutput = ThreadScratch.Get(1, OutChannels * columnsWide);
        ChannelMajor.Gather(_gradOutput!.Span.Slice(n0 * OutChannels * pixels, count * OutChannels * pixels),
            OutChannels, pixels, count, gradOutput);
        ExpandChunk(n0, count, columns);
        int weightLength = Weight.Grad.Length;
        Gemm.Multiply(false, true, OutChannels, Patch, columnsWide, 1f, gradOutput, columnsWide, columns, columnsWide,
            0f, _weightGradPartials.Span.Slice(chunk * weightLength, weightLength), Patch);
        if (!NeedsInputGradient)
        {
            return;
        }
        Gemm.Multiply(true, false, Patch, columnsWide, OutChannels, 1f, Weight.Value.Span, Patch, gradOutput, columnsWide,
            0f, columns, columnsWide);
        int imageLength = InChannels * _shape.Height * _shape.Width;
        for (int i = 0; i < count; i++)
        {
            Span<float> gradImage = _gradInput.Span.Slice((n0 + i) * imageLength, imageLength);
            gradImage.Clear();
            Col2Im.Accumulate(columns[(i * pixels)..], columnsWide, InChannels, _shape.Height, _shape.Width, KernelSize,
                Stride, Padding, _shape.OutHeight, _shape.OutWidth, gradImage);
        }
    }

    private void ExpandChunk(int n0, int count, Span<float> columns)
    {
        int imageLength = InChannels * _shape.Height * _shape.Width;
        int pixels = _shape.OutHeight * _shape.OutWidth;
        for (int i = 0; i < count; i++)
        {
            Im2Col.Expand(_input!.Span.Slice((n0 + i) * imageLength, imageLength), InChannels, _shape.Height, _shape.Width,
                KernelSize, Stride, Padding, _shape.OutHeight, _shape.OutWidth, columns[(i * pixels)..], count * pixels);
        }
    }

    private readonly record struct Shape(int Height, int Width, int OutHeight, int OutWidth);
}
