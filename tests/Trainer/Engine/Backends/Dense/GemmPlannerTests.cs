// The split-K planner is a pure function: checked at every GEMM shape of the VAEs' training steps (MNIST conv at batch
// 128) on an H100's 132 multiprocessors, and at odd shapes and devices: products with enough tiles are never split,
// products of fewer than MinSlicesToSplit k-slices are never split, every chunk is at least MinSlicesPerChunk slices and none is empty.
using VaeOnnx.Trainer.Engine.Backends.Dense;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Dense;

public class GemmPlannerTests
{
    // (m, n, k) at batch 128 of the MNIST conv VAE, what the plan must be on 132 SMs, and why.
    [TestCase(32, 25088, 16, 1, TestName = "conv1 forward: 196 tiles, one slice, no split")]
    [TestCase(64, 6272, 512, 6, TestName = "conv2 forward: 49 tiles, 32 slices -> 6 chunks")]
    [TestCase(128, 16, 3136, 49, TestName = "mu/logvar head: 2 tiles, 196 slices -> 49 chunks of 4")]
    [TestCase(32, 17, 25088, 224, TestName = "conv1 dW+dB: 1 tile, 1568 slices -> 224 chunks of 7 (the 256-chunk cap)")]
    [TestCase(64, 513, 6272, 49, TestName = "conv2 dW+dB: 5 tiles, 392 slices -> 49 chunks of 8")]
    [TestCase(3136, 17, 128, 1, TestName = "decoder fc dW+dB: 49 tiles but only 8 slices: not worth a reduction")]
    [TestCase(128, 16, 3136, 49, TestName = "decoder fc dX (z gradient)")]
    [TestCase(512, 6272, 64, 1, TestName = "convT1 forward columns: 392 tiles")]
    [TestCase(128, 3136, 16, 1, TestName = "decoder fc forward: k = 16, one slice")]
    public void MnistConvShapesOnAnH100(int m, int n, int k, int chunks)
    {
        GemmPlanner.Plan plan = GemmPlanner.Choose(132, m, n, k);
        TestContext.Out.WriteLine($"{m}x{n}x{k}: {plan.Tiles} tiles x {plan.Chunks} chunks of {plan.SlicesPerChunk} slices = {plan.Groups} groups");
        Assert.That(plan.Chunks, Is.EqualTo(chunks));
        CheckInvariants(plan, 132, m, n, k);
    }

    [TestCase(1, 1, 1, 1)]
    [TestCase(1, 1, 1_000_000, 132)]
    [TestCase(2, 1, 1, 63)]
    [TestCase(7, 1000, 1000, 4000)]
    [TestCase(132, 64, 128, 100_000)]
    [TestCase(132, 65, 129, 100_000)]
    [TestCase(132, 1, 1, 0)]
    [TestCase(132, 640, 1280, 4096)]
    [TestCase(1000, 3, 5, 7_777)]
    public void OddShapesAndDevices(int sms, int m, int n, int k)
    {
        GemmPlanner.Plan plan = GemmPlanner.Choose(sms, m, n, k);
        TestContext.Out.WriteLine($"{sms} SMs, {m}x{n}x{k}: {plan.Tiles} tiles x {plan.Chunks} chunks of {plan.SlicesPerChunk} slices");
        CheckInvariants(plan, sms, m, n, k);
    }

    [Test]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmPlanner.Choose(0, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmPlanner.Choose(1, 0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => GemmPlanner.Choose(1, 1, 1, -1));
    }

    private static void CheckInvariants(GemmPlanner.Plan plan, int sms, int m, int n, int k)
    {
        int slices = Math.Max(1, (k + GemmGpu.Depth - 1) / GemmGpu.Depth);
        Assert.That(plan.TilesM, Is.EqualTo((m + GemmGpu.TileM - 1) / GemmGpu.TileM));
        Assert.That(plan.TilesN, Is.EqualTo((n + GemmGpu.TileN - 1) / GemmGpu.TileN));
        Assert.That(plan.Chunks, Is.InRange(1, GemmPlanner.MaxChunks));
        Assert.That(plan.Chunks * plan.SlicesPerChunk, Is.GreaterThanOrEqualTo(slices), "the chunks cover k");
        Assert.That((plan.Chunks - 1) * plan.SlicesPerChunk, Is.LessThan(slices), "no chunk is empty");
        if (plan.Chunks > 1)
        {
            Assert.That(plan.SlicesPerChunk, Is.GreaterThanOrEqualTo(GemmPlanner.MinSlicesPerChunk), "chunks are not too short");
            Assert.That(plan.Tiles, Is.LessThan(GemmPlanner.GroupsPerMultiprocessor * sms), "only products with too few tiles are split");
        }
        if (plan.Tiles >= GemmPlanner.GroupsPerMultiprocessor * sms || slices < GemmPlanner.MinSlicesToSplit)
        {
            Assert.That(plan.Chunks, Is.EqualTo(1));
        }
    }
}
