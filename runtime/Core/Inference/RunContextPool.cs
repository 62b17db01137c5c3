// The idle RunContexts of one graph: Take hands out one made for exactly the requested names and shapes (making a
// new one when none is idle), Return keeps it for the next run. At most Capacity contexts stay idle; returning one
// more disposes the least recently returned, so a service that sees many batch sizes holds a bounded amount of
// native memory while a steady batch size reuses the same contexts and allocates nothing.
// Thread-safe (one short lock around the slot array; contexts themselves are used by one run at a time).
// Not itself disposed by runs: OnnxGraph disposes it once no run is in flight.
using Microsoft.ML.OnnxRuntime;

namespace VaeOnnx.Runtime.Core.Inference;

internal sealed class RunContextPool : IDisposable
{
    private readonly InferenceSession _session;
    private readonly bool _rebindInput;
    private readonly RunContext?[] _idle;
    private readonly long[] _returnedAt;
    private readonly Lock _lock = new();
    private long _clock;

    public RunContextPool(InferenceSession session, bool rebindInput, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _session = session;
        _rebindInput = rebindInput;
        _idle = new RunContext?[capacity];
        _returnedAt = new long[capacity];
    }

    public int Capacity => _idle.Length;

    /// <summary>An idle context for these names and shapes, or a new one (which may throw OnnxRuntimeException).</summary>
    public RunContext Take(string inputName, ReadOnlySpan<long> inputShape, string outputName, ReadOnlySpan<long> outputShape,
        string? secondName, ReadOnlySpan<long> secondShape)
    {
        lock (_lock)
        {
            for (int i = 0; i < _idle.Length; i++)
            {
                if (_idle[i] is { } context && context.Fits(inputName, inputShape, outputName, outputShape, secondName, secondShape))
                {
                    _idle[i] = null;
                    return context;
                }
            }
        }
        return new RunContext(_session, _rebindInput, inputName, inputShape, outputName, outputShape, secondName, secondShape);
    }

    /// <summary>Keeps <paramref name="context"/> for reuse, disposing the least recently returned idle one when full.</summary>
    public void Return(RunContext context)
    {
        RunContext? evicted;
        lock (_lock)
        {
            int slot = 0;
            for (int i = 0; i < _idle.Length; i++)
            {
                if (_idle[i] is null)
                {
                    slot = i;
                    break;
                }
                if (_returnedAt[i] < _returnedAt[slot])
                {
                    slot = i;
                }
            }
            evicted = _idle[slot];
            _idle[slot] = context;
            _returnedAt[slot] = ++_clock;
        }
        evicted?.Dispose();
    }

    /// <summary>Disposes every idle context; call only when no run holds one.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            for (int i = 0; i < _idle.Length; i++)
            {
                _idle[i]?.Dispose();
                _idle[i] = null;
            }
        }
    }
}
