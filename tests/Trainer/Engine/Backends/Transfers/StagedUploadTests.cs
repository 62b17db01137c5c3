// StagedUpload on ILGPU's CPU accelerator: what is staged in a slot, uploaded on the copy stream and copied out on the
// default stream arrives value for value (the host arrays are the reference), each slot keeps its own contents, a
// partial upload leaves the rest of the slot as it was, and out-of-range requests are refused.
using VaeOnnx.Tests.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends.Transfers;

namespace VaeOnnx.Tests.Trainer.Engine.Backends.Transfers;

public sealed class StagedUploadTests
{
    [Test]
    public void WhatIsStagedArrivesInEachSlotValueForValue()
    {
        using var upload = new StagedUpload(TestGpu.Backend, slotLength: 37);
        var random = new RandomSource(71);
        var expected = new float[StagedUpload.SlotCount][];
        for (int slot = 0; slot < StagedUpload.SlotCount; slot++)
        {
            expected[slot] = new float[37];
            random.FillUniform(expected[slot], -1f, 1f);
            expected[slot].CopyTo(upload.Staging(slot));
            upload.BeginUpload(slot, 37);
        }
        upload.WaitForUploads();
        // The staging arrays may be refilled once the upload has arrived; the device keeps what was sent.
        upload.Staging(0).Fill(float.NaN);

        for (int slot = 0; slot < StagedUpload.SlotCount; slot++)
        {
            foreach ((int offset, int length) in new[] { (0, 37), (5, 11), (36, 1) })
            {
                var destination = new Tensor(length);
                upload.CopyOut(slot, offset, destination);
                Assert.That(destination.Span.ToArray(), Is.EqualTo(expected[slot].AsSpan(offset, length).ToArray()), $"slot {slot}, [{offset}, {offset + length})");
            }
        }
    }

    [Test]
    public void APartialUploadLeavesTheRestOfTheSlot()
    {
        using var upload = new StagedUpload(TestGpu.Backend, slotLength: 10);
        Enumerable.Range(0, 10).Select(i => (float)i).ToArray().CopyTo(upload.Staging(1));
        upload.BeginUpload(1, 10);
        upload.WaitForUploads();
        new float[] { -1, -2, -3 }.CopyTo(upload.Staging(1));
        upload.BeginUpload(1, 3);
        upload.WaitForUploads();

        var all = new Tensor(10);
        upload.CopyOut(1, 0, all);
        Assert.That(all.Span.ToArray(), Is.EqualTo(new float[] { -1, -2, -3, 3, 4, 5, 6, 7, 8, 9 }));
    }

    [Test]
    public void OutOfRangeRequestsAreRefused()
    {
        using var upload = new StagedUpload(TestGpu.Backend, slotLength: 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => upload.BeginUpload(0, 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => upload.BeginUpload(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => upload.CopyOut(0, 5, new Tensor(4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StagedUpload(TestGpu.Backend, 0));
        upload.Dispose();
        Assert.Throws<ObjectDisposedException>(() => upload.BeginUpload(0, 1));
    }
}
