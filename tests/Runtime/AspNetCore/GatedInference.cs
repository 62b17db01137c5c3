// Test double around a real model: decode calls stop at a gate the test opens, so "inference is busy" is a
// deterministic state rather than a race against a slow model; it can also fail on purpose. It records the order of
// returns and disposal so shutdown tests can check that sessions outlive the calls that use them.
using System.Collections.Concurrent;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.AspNetCore;

namespace VaeOnnx.Tests.Runtime.AspNetCore;

public sealed class GatedInference(IVaeInference inner) : IVaeInference
{
    private readonly ManualResetEventSlim _open = new(false);
    private readonly SemaphoreSlim _entered = new(0);

    /// <summary>When set, Decode throws this (after the gate) instead of decoding.</summary>
    public Exception? Fault { get; set; }

    public ConcurrentQueue<string> Events { get; } = new();

    public VaeMetadata Metadata => inner.Metadata;

    /// <summary>Waits until a decode call is inside the model (holding its inference slot).</summary>
    public async Task WaitUntilEnteredAsync()
    {
        if (!await _entered.WaitAsync(TimeSpan.FromSeconds(20)))
            Assert.Fail("No decode call reached the model within 20 s.");
    }

    public void Open() => _open.Set();

    public ImageBatch Decode(LatentBatch latents, CancellationToken cancellationToken)
    {
        _entered.Release();
        if (!_open.Wait(TimeSpan.FromSeconds(30)))
            throw new TimeoutException("The test never opened the gate.");
        if (Fault is not null) throw Fault;
        var result = inner.Decode(latents, cancellationToken);
        Events.Enqueue("decode returned");
        return result;
    }

    public EncodedBatch Encode(ImageBatch images, CancellationToken cancellationToken) => inner.Encode(images, cancellationToken);

    public ImageBatch Reconstruct(ImageBatch images, ReconstructionMode mode, ulong seed, CancellationToken cancellationToken) =>
        inner.Reconstruct(images, mode, seed, cancellationToken);

    public void Dispose()
    {
        Events.Enqueue("disposed");
        inner.Dispose();
    }
}
