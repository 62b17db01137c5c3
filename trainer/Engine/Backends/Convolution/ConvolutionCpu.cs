// What the CPU convolutions share: the batch cut into chunks of images (BatchChunks), one parallel task and one GEMM
// each; weight-gradient partials per chunk summed in chunk order and dBias summed image by image, so that results do not
// depend on the thread count. Each subclass (Conv2dCpu, ConvTranspose2dCpu) keeps its own chunk arithmetic, forward
// next to backward. This is the engine's original CPU path, moved here unchanged from the layers.
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Kernels;

namespace VaeOnnx.Trainer.Engine.Backends.Convolution;

public abstract class ConvolutionCpu : ConvolutionKernels
{
    private readonly Tensor _weightGradPartials = new(0);
    private readonly ActionBody _forwardBody;
    private readonly ActionBody _backwardBody;
    private Tensor? _input;
    private Tensor? _weight;
    private Tensor? _bias;
    private Tensor? _output;
    private Tensor? _gradOutput;
    private Tensor? _gradInput;
    private int _weightLength;

    private protected ConvolutionCpu()
    {
        _forwardBody = new ActionBody(ForwardChunk);
        _backwardBody = new ActionBody(BackwardChunk);
    }

    private protected ConvolutionShape Shape { get; private set; }

    private protected BatchChunks Chunks { get; private set; }

    private protected Tensor Input => _input!;

    private protected Tensor Weight => _weight!;

    private protected Tensor Bias => _bias!;

    private protected Tensor Output => _output!;

    private protected Tensor GradOutput => _gradOutput!;

    /// <summary>dX, or null when the layer skips it.</summary>
    private protected Tensor? GradInput => _gradInput;

    public sealed override void Forward(in ConvolutionShape shape, Tensor input, Tensor weight, Tensor bias, FusedActivation activation, Tensor output)
    {
        RefuseFusion(activation);
        Shape = shape;
        (_input, _weight, _bias, _output) = (input, weight, bias, output);
        Chunks = BatchChunks.Plan(shape.Batch, WorkPerImage(shape));
        ParallelFor.Run(Chunks.Count, _forwardBody);
        _output = null;
    }

    public sealed override void Backward(in ConvolutionShape shape, Tensor input, Tensor weight, Tensor output, FusedActivation activation,
        Tensor gradOutput, Tensor gradWeight, Tensor gradBias, Tensor? gradInput)
    {
        RefuseFusion(activation);
        Shape = shape;
        (_input, _weight, _gradOutput, _gradInput) = (input, weight, gradOutput, gradInput);
        Chunks = BatchChunks.Plan(shape.Batch, WorkPerImage(shape));
        _weightLength = gradWeight.Length;
        _weightGradPartials.Resize(Chunks.Count, _weightLength);
        ParallelFor.Run(Chunks.Count, _backwardBody);
        Span<float> dWeight = gradWeight.Span;
        _weightGradPartials.Span[..dWeight.Length].CopyTo(dWeight);
        for (int chunk = 1; chunk < Chunks.Count; chunk++)
        {
            TensorPrimitives.Add(dWeight, WeightGradPartial(chunk), dWeight);
        }
        SumPerChannel(gradOutput.Span, shape.Batch, shape.OutChannels, shape.OutHeight * shape.OutWidth, gradBias.Span);
        _gradOutput = null;
        _gradInput = null;
    }

    // The CPU backend never fuses an activation (ComputeBackend.FusesActivations is false): its layers run them.
    private static void RefuseFusion(FusedActivation activation)
    {
        if (activation.IsFused)
        {
            throw new NotSupportedException($"The CPU convolutions do not fuse activations ({activation}); run the activation layer instead.");
        }
    }

    /// <summary>Where chunk <paramref name="chunk"/>'s BackwardChunk writes its share of dWeight.</summary>
    private protected Span<float> WeightGradPartial(int chunk) =>
        _weightGradPartials.Span.Slice(chunk * _weightLength, _weightLength);

    /// <summary>Floats one image occupies in the chunk's GEMM operand: what BatchChunks sizes chunks by.</summary>
    private protected abstract long WorkPerImage(in ConvolutionShape shape);

    /// <summary>Writes Output for the images of one chunk.</summary>
    private protected abstract void ForwardChunk(int chunk);

    /// <summary>Writes WeightGradPartial(chunk) and, when GradInput is not null, GradInput for the images of one chunk.</summary>
    private protected abstract void BackwardChunk(int chunk);

    /// <summary>dBias[c] = sum over images n and pixels of dY[n, c, :], in image order.</summary>
    private static void SumPerChannel(ReadOnlySpan<float> gradOutput, int batch, int channels, int pixels, Span<float> dBias)
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
}
