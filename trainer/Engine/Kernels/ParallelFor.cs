// An allocation-free parallel-for over persistent worker threads, for the engine's kernels and layers.
// A body is an object the caller creates once and refills per call (no closures, no Tasks). Indexes are claimed one at
// a time by whichever thread is free, so a body must make each index's result independent of the thread that runs
// it; that is what keeps the engine deterministic. The caller works too and waits only for indexes that were actually
// claimed, so a worker that the OS has not scheduled yet never holds a loop up.
// It does not nest: a Run issued from inside a body (or while another thread holds the pool) runs inline on the
// calling thread, with the same results.
using System.Runtime.ExceptionServices;

namespace VaeOnnx.Trainer.Engine.Kernels;

/// <summary>The work of one parallel loop; <see cref="Execute"/> is called once for every index.</summary>
public interface IParallelBody
{
    void Execute(int index);
}

public static class ParallelFor
{
    // Spin this many rounds (tens of microseconds) for the next loop before sleeping: training issues loops back to
    // back, and waking a sleeping thread costs about as much as a small loop.
    private const int SpinRounds = 2000;

    private static readonly object _runGate = new();
    private static readonly object _sleepGate = new();
    private static Thread[] _workers = [];

    // Loop g keeps its body and count in slot g & 1, so a worker that is late for loop g never reads loop g + 1's.
    private static readonly IParallelBody?[] _bodies = new IParallelBody?[2];
    private static readonly int[] _counts = new int[2];

    // (generation << 32) | next unclaimed index. A compare-exchange on this word claims an index of exactly one loop.
    private static long _ticket;
    private static int _generation;
    private static int _completed;
    private static int _activeWorkers;
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
        int generation = _generation + 1;
        try
        {
            t_insideLoop = true;
            EnsureWorkers(threads - 1);
            _bodies[generation & 1] = body;
            _counts[generation & 1] = count;
            _failure = null;
            Volatile.Write(ref _completed, 0);
            Volatile.Write(ref _activeWorkers, threads - 1);
            Interlocked.Exchange(ref _ticket, (long)generation << 32);
            Volatile.Write(ref _generation, generation);
            lock (_sleepGate)
            {
                Monitor.PulseAll(_sleepGate);
            }
            ClaimAndRun(generation);
            var spin = new SpinWait();
            while (Volatile.Read(ref _completed) != count)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
            _failure?.Throw();
        }
        finally
        {
            _bodies[generation & 1] = null;
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

    // Claims indexes of loop `generation` until none are left (or that loop is over) and runs them.
    private static void ClaimAndRun(int generation)
    {
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            int index = (int)ticket;
            if ((int)(ticket >> 32) != generation || index >= _counts[generation & 1])
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket)
            {
                continue;
            }
            // The claim succeeded, so the loop is still running and cannot end before this index completes.
            try
            {
                _bodies[generation & 1]!.Execute(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                Interlocked.Increment(ref _completed);
            }
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
        int seen = Volatile.Read(ref _generation);
        while (true)
        {
            seen = WaitForNextLoop(seen);
            if (id < Volatile.Read(ref _activeWorkers))
            {
                ClaimAndRun(seen);
            }
        }
    }

    private static int WaitForNextLoop(int seen)
    {
        for (int i = 0; i < SpinRounds; i++)
        {
            int generation = Volatile.Read(ref _generation);
            if (generation != seen)
            {
                return generation;
            }
            Thread.SpinWait(20);
        }
        lock (_sleepGate)
        {
            while (Volatile.Read(ref _generation) == seen)
            {
                Monitor.Wait(_sleepGate);
            }
            return Volatile.Read(ref _generation);
        }
    }
}
