// One convolution layer's passes on one backend, with the scratch space they reuse between calls. The layers
// (../../Layers/Conv2d.cs, ConvTranspose2d.cs) check shapes and own the tensors; these only compute.
//   Conv2dCpu / ConvTranspose2dCpu: the batch in chunks of images over threads (ConvolutionCpu), one GEMM per chunk.
//   ConvolutionGpu: the whole batch as implicit GEMMs (../Dense/GemmGpu reads im2col and channel-major views of the
//                   tensors directly) with the bias, the layout and a fused activation in the GEMM's epilogue.
// It does not do dilation, groups or rectangular kernels.
namespace VaeOnnx.Trainer.Engine.Backends.Convolution;

/// <summary>
/// A convolution's geometry for one batch: x (Batch, InChannels, Height, Width) -> y (Batch, OutChannels, OutHeight, OutWidth).
/// For a transposed convolution the output grid is the larger one.
/// </summary>
public readonly record struct ConvolutionShape(
    int Batch, int InChannels, int OutChannels, int KernelSize, int Stride, int Padding, int Height, int Width, int OutHeight, int OutWidth);

public abstract class ConvolutionKernels
{
    /// <summary>Writes y = f(W * x + b) from x, the weight and the bias, f the fused activation (none on the CPU).</summary>
    public abstract void Forward(in ConvolutionShape shape, Tensor input, Tensor weight, Tensor bias, FusedActivation activation, Tensor output);

    /// <summary>
    /// Overwrites dWeight and dBias; writes dX unless <paramref name="gradInput"/> is null. With a fused activation,
    /// <paramref name="gradOutput"/> is d(loss)/d(y) and the activation's derivative is read from <paramref name="output"/> (y).
    /// </summary>
    public abstract void Backward(in ConvolutionShape shape, Tensor input, Tensor weight, Tensor output, FusedActivation activation,
        Tensor gradOutput, Tensor gradWeight, Tensor gradBias, Tensor? gradInput);
}
