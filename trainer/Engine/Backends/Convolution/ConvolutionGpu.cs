// Conv2d and ConvTranspose2d on the GPU: the whole batch at once as implicit GEMMs. ../Dense/GemmGpu reads the im2col
// matrix and the channel-major view of the NCHW tensors straight out of them (GemmOperand), and writes NCHW with the
// bias and a fused activation on the way out (GemmOutput), so no columns or layout copies are materialised except the
// columns a col2im folds back. Conv2dCpu / ConvTranspose2dCpu beside it are the CPU versions; the tests check each
// pass of both against them (tests/Trainer/Engine/Backends/Convolution).
//   Conv2d    forward:  y = f(W im2col(x) + b)                                       1 launch (+1 if split-K)
//             backward: [dW | dB] = dY' [im2col(x)^T | 1]  and  columns = W^T dY'     1 grouped launch (+1 if split)
//                       dX = col2im(columns)                                          1 launch (when dX is needed)
//   ConvT2d   forward:  columns = W^T x;  y = f(col2im(columns) + b)                  2 launches
//             backward: dB = per-channel sums of dY'                                  1 launch
//                       dW = x im2col(dY')^T  and  dX = W im2col(dY')                 1 grouped launch (+1 if split)
// where dY' is dY times the fused activation's derivative (read from y). Col2im is a gather in (ki, kj) order; no
// partial sums beyond split-K's fixed-order chunks, no atomics: the results are the same run after run.
using ILGPU;
using VaeOnnx.Trainer.Engine.Backends.Dense;

namespace VaeOnnx.Trainer.Engine.Backends.Convolution;

public sealed class ConvolutionGpu(GpuBackend backend, bool transposed) : ConvolutionKernels
{
    private readonly Tensor _columns = new(0);

    private GemmGpu Gemm => backend.GemmKernels;

    private Im2ColGpu Layout => backend.Im2ColKernels;

    public override void Forward(in ConvolutionShape s, Tensor input, Tensor weight, Tensor bias, FusedActivation activation, Tensor output)
    {
        if (!transposed)
        {
            Im2ColGpu.Unfold u = InputUnfold(s);
            GemmOutput y = GemmOutput.Nchw(backend.Out(output), s.OutChannels, s.OutHeight * s.OutWidth)
                .WithBias(backend.In(bias), perRow: true).WithActivation(activation);
            Gemm.Run(new GemmGpu.Product(
                GemmOperand.Dense(backend.In(weight), false, u.Rows), GemmOperand.Im2Col(backend.In(input), false, u), y, s.OutChannels, u.Columns, u.Rows));
        }
        else
        {
            Im2ColGpu.Unfold u = OutputUnfold(s);
            ArrayView<float> columns = backend.Out(_columns.Resize(u.Rows * u.Columns));
            Gemm.Run(new GemmGpu.Product(
                GemmOperand.Dense(backend.In(weight), true, u.Rows),
                GemmOperand.ChannelMajor(backend.In(input), false, s.Batch, s.InChannels, s.Height * s.Width),
                GemmOutput.Dense(columns, u.Columns), u.Rows, u.Columns, s.InChannels));
            Layout.Col2Im(u, columns, backend.In(bias), activation, backend.Out(output));
        }
    }

    public override void Backward(in ConvolutionShape s, Tensor input, Tensor weight, Tensor output, FusedActivation activation, Tensor gradOutput,
        Tensor gradWeight, Tensor gradBias, Tensor? gradInput)
    {
        ArrayView<float> y = backend.In(output);
        if (!transposed)
        {
            Im2ColGpu.Unfold u = InputUnfold(s);
            GemmOperand dY = GemmOperand.ChannelMajor(backend.In(gradOutput), false, s.Batch, s.OutChannels, s.OutHeight * s.OutWidth).MaskedBy(activation, y);
            // [dW | dB] (Cout x (C k k + 1)) = dY' (Cout x N P) [im2col(x)^T | 1]
            var weights = new GemmGpu.Product(dY, GemmOperand.Im2Col(backend.In(input), true, u).WithOnesColumn(u.Rows),
                GemmOutput.Dense(backend.Out(gradWeight), u.Rows).WithBiasGradient(backend.Out(gradBias), u.Rows), s.OutChannels, u.Rows + 1, u.Columns);
            if (gradInput is null)
            {
                Gemm.Run(weights);
                return;
            }
            // columns (C k k x N P) = W^T dY', then folded back onto dX.
            ArrayView<float> columns = backend.Out(_columns.Resize(u.Rows * u.Columns));
            Gemm.Run(weights, new GemmGpu.Product(GemmOperand.Dense(backend.In(weight), true, u.Rows), dY, GemmOutput.Dense(columns, u.Columns),
                u.Rows, u.Columns, s.OutChannels));
            Layout.Col2Im(u, columns, null, FusedActivation.None, backend.Out(gradInput));
        }
        else
        {
            Im2ColGpu.Unfold u = OutputUnfold(s);
            ArrayView<float> dYView = backend.In(gradOutput);
            Layout.ChannelSums(s.Batch, s.OutChannels, s.OutHeight * s.OutWidth, dYView, activation, y, backend.Out(gradBias));
            GemmOperand columns = GemmOperand.Im2Col(dYView, false, u).MaskedBy(activation, y);
            // dW (Cin x Cout k k) = x (Cin x N H W, channel-major) im2col(dY')^T
            var weights = new GemmGpu.Product(GemmOperand.ChannelMajor(backend.In(input), false, s.Batch, s.InChannels, s.Height * s.Width),
                GemmOperand.Im2Col(dYView, true, u).MaskedBy(activation, y), GemmOutput.Dense(backend.Out(gradWeight), u.Rows), s.InChannels, u.Rows, u.Columns);
            if (gradInput is null)
            {
                Gemm.Run(weights);
                return;
            }
            // dX (Cin x N H W, written NCHW) = W (Cin x Cout k k) im2col(dY')
            Gemm.Run(weights, new GemmGpu.Product(GemmOperand.Dense(backend.In(weight), false, u.Rows), columns,
                GemmOutput.Nchw(backend.Out(gradInput), s.InChannels, s.Height * s.Width), s.InChannels, u.Columns, u.Rows));
        }
    }

    // Conv2d: the input image unfolded on the output grid.
    private static Im2ColGpu.Unfold InputUnfold(in ConvolutionShape s) =>
        new(s.Batch, s.InChannels, s.Height, s.Width, s.OutHeight, s.OutWidth, s.KernelSize, s.Stride, s.Padding);

    // ConvTranspose2d: the (larger) output image unfolded on the input grid.
    private static Im2ColGpu.Unfold OutputUnfold(in ConvolutionShape s) =>
        new(s.Batch, s.OutChannels, s.OutHeight, s.OutWidth, s.Height, s.Width, s.KernelSize, s.Stride, s.Padding);
}
