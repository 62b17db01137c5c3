// Bounds the inferences the service runs at once, with a bounded wait queue in front and a per-request deadline.
// Beyond running + queued it refuses at once (429 + Retry-After) instead of queueing without limit. A slot is held
// until the model call really returns, even when the request already gave up, so the bound stays honest. When the
// client disconnects mid-run, the work's token terminates the ONNX Runtime run (RunOptions.Terminate, between graph
// nodes) so the slot frees soon; a timed-out run goes on to its end. It does not choose what to run; callers pass the work.
// Model calls run on MaxConcurrent dedicated threads, not the thread pool: a blocking native call per pool thread would
// starve Kestrel's I/O of threads (on 2 cores the pool starts with 2), and every request would stall behind inference.
// The semaphore is never disposed: it owns no wait handle, and an abandoned call may still release it during shutdown.
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.AspNetCore.Http;
using VaeOnnx.Runtime.AspNetCore.Metrics;

namespace VaeOnnx.Runtime.AspNetCore;

internal sealed partial class InferenceGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly BlockingCollection<Action> _work = new();
    private readonly int _capacity;
    private readonly TimeSpan _timeout;
    private readonly int _retryAfterSeconds;
    private readonly ServingMetrics _metrics;
    private readonly ILogger<InferenceGate> _logger;
    private int _admitted; // running + waiting
    private int _running;

    public InferenceGate(VaeServingOptions options, ServingMetrics metrics, ILogger<InferenceGate> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        MaxConcurrent = options.MaxConcurrentInference;
        MaxQueued = options.MaxQueuedInference;
        _capacity = MaxConcurrent + MaxQueued;
        _slots = new SemaphoreSlim(MaxConcurrent, MaxConcurrent);
        _timeout = options.RequestTimeout;
        _retryAfterSeconds = options.RetryAfterSeconds;
        _metrics = metrics;
        _logger = logger;
        // The semaphore admits at most MaxConcurrent items at a time, so this many threads never leave one waiting.
        for (int i = 0; i < MaxConcurrent; i++)
            new Thread(RunWorkItems) { IsBackground = true, Name = $"vae-inference-{i}" }.Start();
    }

    public int MaxConcurrent { get; }

    public int MaxQueued { get; }

    /// <summary>Model calls running now, including those whose request already gave up.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>
    /// Runs <paramref name="work"/> on an inference thread once a slot is free. Throws a 429 problem when the bound is reached,
    /// a 503 problem when no slot frees up before the request timeout, a 504 problem when the work runs past it, and
    /// OperationCanceledException when the client went away. <paramref name="work"/> gets <paramref name="requestAborted"/>
    /// to pass to the model: it must be the request's own abort token, never one tied to the host's shutdown (see below).
    /// </summary>
    // Why only HttpContext.RequestAborted: Kestrel fires it when the client's connection goes, and at shutdown only when
    // it aborts the connections that are still open after the shutdown timeout; a graceful stop lets running requests
    // finish. The earlier attempt at this broke graceful shutdown in the in-process tests because the harness disposed
    // its TestServer HttpClient before stopping the app: disposing the client cancels its pending requests, which
    // TestServer turns into RequestAborted, so the "in-flight" request was really a disconnected one and its run was
    // terminated. ServingApp now stops the app first, and the shutdown tests also SIGTERM a real process.
    public async Task<T> RunAsync<T>(string operation, Func<CancellationToken, T> work, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Interlocked.Increment(ref _admitted) > _capacity)
        {
            Interlocked.Decrement(ref _admitted);
            _metrics.RecordRejection();
            throw RequestProblem.TooManyRequests(MaxConcurrent, MaxQueued, _retryAfterSeconds);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        deadline.CancelAfter(_timeout);
        _metrics.QueueEntered();
        try
        {
            await _slots.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _admitted);
            requestAborted.ThrowIfCancellationRequested();
            _metrics.RecordTimeout();
            throw RequestProblem.QueueTimeout(_timeout, _retryAfterSeconds);
        }
        finally
        {
            _metrics.QueueLeft();
        }

        Task<T> running = Post(operation, work, requestAborted);
        try
        {
            return await running.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!running.IsCompleted)
        {
            // The model call goes on and frees its slot when it returns; observe its outcome so nothing goes unlogged.
            // (A run terminated by the client's leaving ends Canceled, not Faulted: it is no failure to log.)
            _ = running.ContinueWith(
                t => LogAbandonedFailure(_logger, operation, t.Exception!.GetBaseException()),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            requestAborted.ThrowIfCancellationRequested();
            _metrics.RecordTimeout();
            throw RequestProblem.InferenceTimeout(_timeout);
        }
    }

    /// <summary>Waits until no model call is running (for shutdown); returns false if <paramref name="timeout"/> passed first.</summary>
    public bool WaitForIdle(TimeSpan timeout) => SpinWait.SpinUntil(() => Running == 0, timeout);

    /// <summary>Lets the inference threads finish what they hold and exit.</summary>
    public void Dispose() => _work.CompleteAdding();

    private Task<T> Post<T>(string operation, Func<CancellationToken, T> work, CancellationToken requestAborted)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Run()
        {
            try
            {
                completion.SetResult(RunHoldingSlot(operation, work, requestAborted));
            }
            catch (OperationCanceledException e)
            {
                completion.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        }
        bool added;
        try
        {
            added = _work.TryAdd(Run);
        }
        catch (InvalidOperationException)
        {
            added = false; // disposed: the host is shutting down
        }
        if (!added)
        {
            Interlocked.Decrement(ref _admitted);
            _slots.Release();
            completion.SetException(RequestProblem.NotReady("The service is shutting down.", _retryAfterSeconds));
        }
        return completion.Task;
    }

    private void RunWorkItems()
    {
        foreach (var item in _work.GetConsumingEnumerable()) item();
    }

    private T RunHoldingSlot<T>(string operation, Func<CancellationToken, T> work, CancellationToken requestAborted)
    {
        Interlocked.Increment(ref _running);
        _metrics.InferenceStarted();
        long start = Stopwatch.GetTimestamp();
        bool failed = true;
        try
        {
            T result = work(requestAborted);
            failed = false;
            return result;
        }
        catch (OperationCanceledException)
        {
            failed = false; // stopped on purpose, not a model failure
            if (requestAborted.IsCancellationRequested) _metrics.RecordCancelledInference();
            throw;
        }
        finally
        {
            _metrics.InferenceFinished(operation, Stopwatch.GetElapsedTime(start), failed);
            Interlocked.Decrement(ref _running);
            Interlocked.Decrement(ref _admitted);
            _slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Inference '{Operation}' failed after its request had already given up")]
    private static partial void LogAbandonedFailure(ILogger logger, string operation, Exception exception);
}
