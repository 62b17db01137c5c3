// The GPU convolutions (ConvolutionGpu: implicit GEMMs in GemmGpu, col2im and channel sums in Im2ColGpu) against the
// CPU engine's (Conv2dCpu, ConvTranspose2dCpu) through the layers themselves: forward output, dX, dWeight and dBias at
// odd sizes, strides and paddings, each printed as a relative difference; also with a ReLU or leaky ReLU fused into
// the convolution (LayerFusion) against the CPU's convolution followed by its activation layer, and with the GEMMs
// planned for an H100 (132 multiprocessors), which splits the weight gradients along k.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Convolution;

public class ConvolutionGpuTests
{
    [TestCase(false, 2, 3, 5, 9, 7, 4, 2, 1)]
    [TestCase(false, 3, 2, 4, 6, 11, 3, 1, 0)]
    [TestCase(true, 2, 5, 3, 5, 4, 4, 2, 1)]
    [TestCase(true, 3, 4, 2, 3, 6, 3, 1, 1)]
    public void BothPassesMatchTheCpuLayer(bool transposed, int batch, int inChannels, int outChannels, int height, int width, int kernel, int stride,
        int padding)
    {
        ConvolutionLayer Make() => transposed
            ? new ConvTranspose2d("t", inChannels, outChannels, kernel, stride, padding)
            : new Conv2d("c", inChannels, outChannels, kernel, stride, padding);
        ConvolutionLayer cpu = Make(), gpu = Make();
        gpu.Backend = TestGpu.Backend;
        cpu.ResetParameters(new RandomSource(21));
        gpu.ResetParameters(new RandomSource(21));
        var random = new RandomSource(22);
        Tensor x = TestTensors.Uniform(random, -1, 1, batch, inChannels, height, width);

        Tensor yCpu = cpu.Forward(x);
        Tensor yGpu = gpu.Forward(TestGpu.Clone(x));
        TestGpu.AssertRelative("y", yCpu, yGpu, 1e-6);

        Tensor dY = TestTensors.Uniform(random, -1, 1, yCpu.Shape.ToArray());
        Tensor dxCpu = cpu.Backward(dY);
        Tensor dxGpu = gpu.Backward(TestGpu.Clone(dY));
        TestGpu.AssertRelative("dX", dxCpu, dxGpu, 1e-6);
        TestGpu.AssertRelative("dWeight", cpu.Weight.Grad, gpu.Weight.Grad, 1e-6);
        TestGpu.AssertRelative("dBias", cpu.Bias.Grad, gpu.Bias.Grad, 1e-6);
    }

    [TestCase(false, 0f, 132)]
    [TestCase(true, 0f, 132)]
    [TestCase(false, 0.1f, 0)]
    [TestCase(true, 0.1f, 0)]
    public void FusedActivationsMatchTheCpuLayerAndActivation(bool transposed, float slope, int plannedMultiprocessors)
    {
        const int batch = 3, inChannels = 4, outChannels = 5, height = 7, width = 6;
        Layer[] Make() =>
        [
            transposed ? new ConvTranspose2d("t", inChannels, outChannels, 4, 2, 1) : new Conv2d("c", inChannels, outChannels, 4, 2, 1),
            slope == 0f ? new Relu() : new LeakyRelu(slope),
        ];
        Layer[] cpu = Make(), gpu = Make();
        cpu[0].ResetParameters(new RandomSource(25));
        gpu[0].ResetParameters(new RandomSource(25));
        TestGpu.FuseOnGpu(gpu);
        var random = new RandomSource(26);
        Tensor x = TestTensors.Uniform(random, -1, 1, batch, inChannels, height, width);
        Tensor yCpu = cpu[1].Forward(cpu[0].Forward(x));
        Tensor dY = TestTensors.Uniform(random, -1, 1, yCpu.Shape.ToArray());
        Tensor dxCpu = cpu[0].Backward(cpu[1].Backward(dY));
        Dense.GemmGpuTests.WithPlannedMultiprocessors(plannedMultiprocessors > 0 ? plannedMultiprocessors : TestGpu.Backend.Accelerator.NumMultiprocessors, () =>
        {
            Tensor yGpu = gpu[1].Forward(gpu[0].Forward(TestGpu.Clone(x)));
            TestGpu.AssertRelative("y", yCpu, yGpu, 1e-6);
            Tensor dxGpu = gpu[0].Backward(gpu[1].Backward(TestGpu.Clone(dY)));
            TestGpu.AssertRelative("dX", dxCpu, dxGpu, 1e-6);
        });
        var convCpu = (ConvolutionLayer)cpu[0];
        var convGpu = (ConvolutionLayer)gpu[0];
        TestGpu.AssertRelative("dWeight", convCpu.Weight.Grad, convGpu.Weight.Grad, 1e-6);
        TestGpu.AssertRelative("dBias", convCpu.Bias.Grad, convGpu.Bias.Grad, 1e-6);
    }

    [Test]
    public void AFirstLayerSkipsTheInputGradientOnTheGpuToo()
    {
        var layer = new Conv2d("c", 1, 2, 3, 1, 1) { NeedsInputGradient = false, Backend = TestGpu.Backend };
        layer.ResetParameters(new RandomSource(23));
        Tensor x = TestTensors.Uniform(new RandomSource(24), 0, 1, 2, 1, 5, 5);
        Tensor y = layer.Forward(x);
        Tensor dx = layer.Backward(TestGpu.Clone(y));
        Assert.That(dx.Length, Is.Zero);
        Assert.That(layer.Weight.Grad.Span.ToArray(), Has.Some.Not.EqualTo(0f));
    }
}
