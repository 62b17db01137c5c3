// Conv2d and ConvTranspose2d on the GPU: the whole batch at once, as im2col/col2im (Im2ColGpu) around the tiled SGEMM
// (../Dense/GemmGpu). Conv2dCpu / ConvTranspose2dCpu beside it are the CPU versions; the tests check each pass of
// both against them (tests/Trainer/Engine/Backends/Convolution).
//   Conv2d    forward:  columns = im2col(x); y = W columns (+ bias, back to NCHW)
//             backward: dYc = dY channel-major; dW = dYc columns^T (one GEMM over every image and pixel, k in order);
//                       dB = per-channel sums; dX = col2im(W^T dYc)
//   ConvT2d   forward:  xc = x channel-major; columns = W^T xc; y = col2im(columns) + bias
//             backward: columns = im2col(dY); dW = xc columns^T; dB = per-channel sums of dY; dX = W columns (to NCHW)
// No partial sums, no atomics: the results are the same run after run. The columns are materialised for the whole
// batch (for 64 x 64 RGB at batch 128 the largest is 64 MiB); chunking them like the CPU path would bound that.
using ILGPU;
using VaeOnnx.Trainer.Engine.Backends.Dense;

namespace VaeOnnx.Trainer.Engine.Backends.Convolution;

public sealed class ConvolutionGpu(GpuBackend backend, bool transposed) : ConvolutionKernels
{
    private readonly Tensor _columns = new(0);
    private readonly Tensor _channelMajor = new(0);

    private GemmGpu Gemm => backend.GemmKernels;

    private Im2ColGpu Layout => backend.Im2ColKernels;

    public override void Forward(in ConvolutionShape s, Tensor input, Tensor weight, Tensor bias, Tensor output)
    {
        if (!transposed)
        {
            Im2ColGpu.Unfold u = InputUnfold(s);
            ArrayView<float> columns = backend.Out(_columns.Resize(u.Rows * u.Columns));
            Layout.Im2Col(u, backend.In(input), columns);
            ArrayView<float> product = backend.Out(_channelMajor.Resize(s.OutChannels * u.Columns));
            Gemm.Multiply(false, false, s.OutChannels, u.Columns, u.Rows, backend.In(weight), columns, 0f, product);
            Layout.FromChannelMajor(s.Batch, s.OutChannels, s.OutHeight * s.OutWidth, product, backend.In(bias), backend.Out(output));
        }
        else
        {
            Im2ColGpu.Unfold u = OutputUnfold(s);
            ArrayView<float> x = backend.Out(_channelMajor.Resize(s.InChannels * u.Columns));
            Layout.ToChannelMajor(s.Batch, s.InChannels, s.Height * s.Width, backend.In(input), x);
            ArrayView<float> columns = backend.Out(_columns.Resize(u.Rows * u.Columns));
            Gemm.Multiply(true, false, u.Rows, u.Columns, s.InChannels, backend.In(weight), x, 0f, columns);
            Layout.Col2Im(u, columns, backend.In(bias), backend.Out(output));
        }
    }

    public override void Backward(in ConvolutionShape s, Tensor input, Tensor weight, Tensor gradOutput, Tensor gradWeight, Tensor gradBias,
        Tensor? gradInput)
    {
        Layout.ChannelSums(s.Batch, s.OutChannels, s.OutHeight * s.OutWidth, backend.In(gradOutput), backend.Out(gradBias));
        if (!transposed)
        {
            Im2ColGpu.Unfold u = InputUnfold(s);
            ArrayView<float> dY = backend.Out(_channelMajor.Resize(s.OutChannels * u.Columns));
            Layout.ToChannelMajor(s.Batch, s.OutChannels, s.OutHeight * s.OutWidth, backend.In(gradOutput), dY);
            ArrayView<float> columns = backend.Out(_columns.Resize(u.Rows * u.Columns));
            Layout.Im2Col(u, backend.In(input), columns);
            Gemm.Multiply(false, true, s.OutChannels, u.Rows, u.Columns, dY, columns, 0f, backend.Out(gradWeight));
            if (gradInput is not null)
            {
                Gemm.Multiply(true, false, u.Rows, u.Columns, s.OutChannels, backend.In(weight), dY, 0f, columns);
                Layout.Col2Im(u, columns, null, backend.Out(gradInput));
            }
        }
        else
        {
            Im2ColGpu.Unfold u = OutputUnfold(s);
            ArrayView<float> columns = backend.Out(_columns.Resize(u.Rows * u.Columns));
            Layout.Im2Col(u, backend.In(gradOutput), columns);
            ArrayView<float> x = backend.Out(_channelMajor.Resize(s.InChannels * u.Columns));
            Layout.ToChannelMajor(s.Batch, s.InChannels, s.Height * s.Width, backend.In(input), x);
            Gemm.Multiply(false, true, s.InChannels, u.Rows, u.Columns, x, columns, 0f, backend.Out(gradWeight));
            if (gradInput is not null)
            {
                Gemm.Multiply(false, false, s.InChannels, u.Columns, u.Rows, backend.In(weight), columns, 0f, x);
                Layout.FromChannelMajor(s.Batch, s.InChannels, s.Height * s.Width, x, null, backend.Out(gradInput));
            }
        }
    }

    // Conv2d: the input image unfolded on the output grid.
    private static Im2ColGpu.Unfold InputUnfold(in ConvolutionShape s) =>
        new(s.Batch, s.InChannels, s.Height, s.Width, s.OutHeight, s.OutWidth, s.KernelSize, s.Stride, s.Padding);

    // ConvTranspose2d: the (larger) output image unfolded on the input grid.
    private static Im2ColGpu.Unfold OutputUnfold(in ConvolutionShape s) =>
        new(s.Batch, s.OutChannels, s.OutHeight, s.OutWidth, s.Height, s.Width, s.KernelSize, s.Stride, s.Padding);
}
