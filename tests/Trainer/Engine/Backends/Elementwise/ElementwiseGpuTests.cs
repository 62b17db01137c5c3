// The GPU's element-wise kernels against the CPU engine's (ElementwiseCpu): activations forward and backward through
// the layers, the sum, and the batch gather from a device-resident image set.
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Layers;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Elementwise;

public class ElementwiseGpuTests
{
    public static IEnumerable<TestCaseData> Activations()
    {
        yield return new TestCaseData((Func<Layer>)(() => new Relu())).SetArgDisplayNames("relu");
        yield return new TestCaseData((Func<Layer>)(() => new LeakyRelu(0.07f))).SetArgDisplayNames("leaky relu");
        yield return new TestCaseData((Func<Layer>)(() => new Sigmoid())).SetArgDisplayNames("sigmoid");
    }

    [TestCaseSource(nameof(Activations))]
    public void ActivationsMatchTheCpu(Func<Layer> make)
    {
        Layer cpu = make(), gpu = make();
        gpu.Backend = TestGpu.Backend;
        var random = new RandomSource(31);
        Tensor x = TestTensors.Uniform(random, -4, 4, 3, 37);
        Tensor dY = TestTensors.Uniform(random, -1, 1, 3, 37);
        TestGpu.AssertRelative("y", cpu.Forward(x), gpu.Forward(TestGpu.Clone(x)), 1e-6);
        TestGpu.AssertRelative("dX", cpu.Backward(dY), gpu.Backward(TestGpu.Clone(dY)), 1e-6);
    }

    [Test]
    public void AddAndGatherMatchTheCpu()
    {
        var random = new RandomSource(32);
        Tensor a = TestTensors.Uniform(random, -1, 1, 41), b = TestTensors.Uniform(random, -1, 1, 41);
        Tensor sumCpu = new(41), sumGpu = new(41);
        CpuBackend.Instance.Add(a, b, sumCpu);
        TestGpu.Backend.Add(TestGpu.Clone(a), TestGpu.Clone(b), sumGpu);
        Assert.That(sumGpu.Span.ToArray(), Is.EqualTo(sumCpu.Span.ToArray()));

        Tensor images = TestTensors.Uniform(random, 0, 1, 6, 13);
        int[] indices = [4, 0, 5, 4];
        Tensor batchCpu = new(4, 13), batchGpu = new(4, 13);
        CpuBackend.Instance.GatherImages(images, 13, indices, batchCpu);
        TestGpu.Backend.GatherImages(TestGpu.Clone(images), 13, indices, batchGpu);
        Assert.That(batchGpu.Span.ToArray(), Is.EqualTo(batchCpu.Span.ToArray()));
    }
}
