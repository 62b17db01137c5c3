// An allocation-free parallel-for over persistent worker threads, for the engine's kernels and layers.
// A body is an object the caller creates once and refills per call (no closures, no Tasks), and indexes are handed out
// dynamically; so a body must make each index's result independent of which thread runs it, which is what keeps the
// engine deterministic. It does not nest: a Run issued from inside a body (or while another thread holds the pool) runs
// inline on the calling thread, with the same results.
using System.Runtime.ExceptionServices;

namespace VaeOnnx.Trainer.Engine.Kernels;

/// <summary>The work of one parallel loop; <see cref="Execute"/> is called once for every index.</summary>
public interface IParallelBody
{
    void Execute(int index);
}

public static class ParallelFor
{
    // Spin this many times (about 20-50 microseconds) for the next loop before sleeping: training issues loops
    // back to back, and a sleeping worker takes tens of microseconds to wake.
    private const int SpinIterations = 2000;

    private static readonly object _runGate = new();
    private static readonly object _sleepGate = new();
    private static Thread[] _workers = [];

    private static IParallelBody? _body;
    private static int _count;
    private static int _next;
    private static int _pending;
    // (generation << 16) | active workers, read as one word so a worker never pairs one loop's generation with
    // another loop's worker count; Run only starts the next generation once every active worker has reported back.
    private static long _state;
    private static ExceptionDispatchInfo? _failure;

    [ThreadStatic]
    private static bool t_insideLoop;

    /// <summary>True on a thread that is running a loop body: a Run issued now runs inline.</summary>
    public static bool IsInsideLoop => t_insideLoop;

    /// <summary>Calls body.Execute(i) for i in [0, count) on up to <see cref="EngineThreads.Count"/> threads and returns when all are done.</summary>
    public static void Run(int count, IParallelBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int threads = Math.Min(EngineThreads.Count, count);
        if (threads <= 1 || t_insideLoop || !Monitor.TryEnter(_runGate))
        {
            RunInline(count, body);
            return;
        }
        try
        {
            t_insideLoop = true;
            EnsureWorkers(threads - 1);
            _body = body;
            _count = count;
            _next = 0;
            _failure = null;
            Volatile.Write(ref _pending, threads - 1);
            long generation = (Volatile.Read(ref _state) >> 16) + 1;
            Interlocked.Exchange(ref _state, (generation << 16) | (uint)(threads - 1));
            lock (_sleepGate)
            {
                Monitor.PulseAll(_sleepGate);
            }
            Drain();
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
            _body = null;
            _failure?.Throw();
        }
        finally
        {
            t_insideLoop = false;
            Monitor.Exit(_runGate);
        }
    }

    private static void RunInline(int count, IParallelBody body)
    {
        bool wasInside = t_insideLoop;
        t_insideLoop = true;
        try
        {
            for (int i = 0; i < count; i++)
            {
                body.Execute(i);
            }
        }
        finally
        {
            t_insideLoop = wasInside;
        }
    }

    private static void Drain()
    {
        IParallelBody body = _body!;
        int count = _count;
        try
        {
            for (int i = Interlocked.Increment(ref _next) - 1; i < count; i = Interlocked.Increment(ref _next) - 1)
            {
                body.Execute(i);
            }
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            Volatile.Write(ref _next, count);
        }
    }

    private static void EnsureWorkers(int needed)
    {
        if (_workers.Length >= needed)
        {
            return;
        }
        var workers = new Thread[needed];
        Array.Copy(_workers, workers, _workers.Length);
        for (int id = _workers.Length; id < needed; id++)
        {
            int workerId = id;
            workers[id] = new Thread(() => WorkerLoop(workerId))
            {
                IsBackground = true,
                Name = $"VaeOnnx engine worker {id + 1}",
            };
            workers[id].Start();
        }
        _workers = workers;
    }

    private static void WorkerLoop(int id)
    {
        t_insideLoop = true;
        long seen = Volatile.Read(ref _state);
        while (true)
        {
            seen = WaitForNextLoop(seen);
            if (id < (int)(seen & 0xFFFF))
            {
                Drain();
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private static long WaitForNextLoop(long seen)
    {
        for (int i = 0; i < SpinIterations; i++)
        {
            long state = Volatile.Read(ref _state);
            if (state != seen)
            {
                return state;
            }
            Thread.SpinWait(20);
        }
        lock (_sleepGate)
        {
            while (Volatile.Read(ref _state) == seen)
            {
                Monitor.Wait(_sleepGate);
            }
            return Volatile.Read(ref _state);
        }
    }
}
