// The service's counters and gauges, kept in process and rendered at GET /metrics in Prometheus text format.
// Labels are bounded by construction (route patterns, not raw paths; a fixed set of methods), so hostile traffic
// cannot grow the label set. It does not push anywhere and uses no metrics package.
using System.Collections.Concurrent;
using System.Diagnostics;

namespace VaeOnnx.Runtime.AspNetCore.Metrics;

internal sealed class ServingMetrics
{
    private static readonly HashSet<string> KnownMethods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"];

    private readonly ConcurrentDictionary<(string Endpoint, string Method, string StatusClass), Counter> _requests = new();
    private readonly ConcurrentDictionary<(string Endpoint, int Status), Counter> _errors = new();
    private readonly ConcurrentDictionary<string, Histogram> _requestDurations = new();
    private readonly ConcurrentDictionary<string, Histogram> _inferenceDurations = new();
    private long _inferenceInFlight;
    private long _inferenceQueued;
    private long _rejected;
    private long _timeouts;
    private long _aborted;
    private long _unhandled;
    private long _inferenceFailures;
    private long _inferenceCancelled;
    private long _modelFaults;

    /// <summary>Set by the model host: 0 while loading or failed, 1 once both sessions are loaded.</summary>
    public int ModelReady { get; set; }

    public long InferenceInFlight => Interlocked.Read(ref _inferenceInFlight);

    public long InferenceQueued => Interlocked.Read(ref _inferenceQueued);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Aborted => Interlocked.Read(ref _aborted);

    public long InferenceCancelled => Interlocked.Read(ref _inferenceCancelled);

    public void RecordRequest(string endpoint, string method, int status, TimeSpan elapsed)
    {
        method = KnownMethods.Contains(method) ? method : "OTHER";
        string statusClass = status switch { < 200 => "1xx", < 300 => "2xx", < 400 => "3xx", < 500 => "4xx", _ => "5xx" };
        _requests.GetOrAdd((endpoint, method, statusClass), _ => new Counter()).Increment();
        if (status >= 400) _errors.GetOrAdd((endpoint, status), _ => new Counter()).Increment();
        _requestDurations.GetOrAdd(endpoint, _ => new Histogram()).Observe(elapsed);
    }

    public void InferenceStarted() => Interlocked.Increment(ref _inferenceInFlight);

    public void InferenceFinished(string operation, TimeSpan elapsed, bool failed)
    {
        Interlocked.Decrement(ref _inferenceInFlight);
        if (failed) Interlocked.Increment(ref _inferenceFailures);
        _inferenceDurations.GetOrAdd(operation, _ => new Histogram()).Observe(elapsed);
    }

    public void QueueEntered() => Interlocked.Increment(ref _inferenceQueued);

    public void QueueLeft() => Interlocked.Decrement(ref _inferenceQueued);

    public void RecordRejection() => Interlocked.Increment(ref _rejected);

    public void RecordTimeout() => Interlocked.Increment(ref _timeouts);

    public void RecordClientAbort() => Interlocked.Increment(ref _aborted);

    /// <summary>A model call terminated mid-run because its client disconnected (its slot freed without finishing the work).</summary>
    public void RecordCancelledInference() => Interlocked.Increment(ref _inferenceCancelled);

    public void RecordUnhandledException() => Interlocked.Increment(ref _unhandled);

    /// <summary>A request answered 500 because the model failed on it (non-finite output, a graph that does not run).</summary>
    public void RecordModelFault() => Interlocked.Increment(ref _modelFaults);

    /// <summary>The whole exposition, families in a fixed order, samples sorted so scrapes diff cleanly.</summary>
    public string Render()
    {
        var text = new PrometheusText();

        text.Family("vaeonnx_http_requests_total", "counter", "HTTP requests answered, by route, method and status class.");
        foreach (var (key, counter) in _requests.OrderBy(p => p.Key.Endpoint, StringComparer.Ordinal).ThenBy(p => p.Key.Method).ThenBy(p => p.Key.StatusClass))
            text.Sample("vaeonnx_http_requests_total", counter.Value, ("endpoint", key.Endpoint), ("method", key.Method), ("code", key.StatusClass));

        text.Family("vaeonnx_http_errors_total", "counter", "HTTP answers with status 400 or above, by route and exact status.");
        foreach (var (key, counter) in _errors.OrderBy(p => p.Key.Endpoint, StringComparer.Ordinal).ThenBy(p => p.Key.Status))
            text.Sample("vaeonnx_http_errors_total", counter.Value, ("endpoint", key.Endpoint), ("status", key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        text.Family("vaeonnx_http_request_duration_seconds", "histogram", "Time from request start to the end of its answer, by route.");
        foreach (var (endpoint, histogram) in _requestDurations.OrderBy(p => p.Key, StringComparer.Ordinal))
            histogram.WriteTo(text, "vaeonnx_http_request_duration_seconds", ("endpoint", endpoint));

        text.Family("vaeonnx_http_client_aborts_total", "counter", "Requests whose client disconnected before the answer was sent.");
        text.Sample("vaeonnx_http_client_aborts_total", Aborted);

        text.Family("vaeonnx_unhandled_exceptions_total", "counter", "Unexpected exceptions turned into 500 answers (details are in the server log).");
        text.Sample("vaeonnx_unhandled_exceptions_total", Interlocked.Read(ref _unhandled));

        text.Family("vaeonnx_model_faults_total", "counter", "Valid requests answered 500 because the model failed (NaN or infinite output, a graph ONNX Runtime could not run).");
        text.Sample("vaeonnx_model_faults_total", Interlocked.Read(ref _modelFaults));

        text.Family("vaeonnx_inference_in_flight", "gauge", "Inferences running now.");
        text.Sample("vaeonnx_inference_in_flight", InferenceInFlight);

        text.Family("vaeonnx_inference_queued", "gauge", "Requests waiting for an inference slot now.");
        text.Sample("vaeonnx_inference_queued", InferenceQueued);

        text.Family("vaeonnx_inference_rejected_total", "counter", "Requests answered 429 because running plus queued inferences were at the bound.");
        text.Sample("vaeonnx_inference_rejected_total", Rejected);

        text.Family("vaeonnx_inference_timeouts_total", "counter", "Requests that ran past the request timeout (waiting or inferring).");
        text.Sample("vaeonnx_inference_timeouts_total", Interlocked.Read(ref _timeouts));

        text.Family("vaeonnx_inference_failures_total", "counter", "Inferences that threw.");
        text.Sample("vaeonnx_inference_failures_total", Interlocked.Read(ref _inferenceFailures));

        text.Family("vaeonnx_inference_cancelled_total", "counter", "Inferences terminated mid-run because their client disconnected.");
        text.Sample("vaeonnx_inference_cancelled_total", InferenceCancelled);

        text.Family("vaeonnx_inference_duration_seconds", "histogram", "Time spent inside the model, by operation.");
        foreach (var (operation, histogram) in _inferenceDurations.OrderBy(p => p.Key, StringComparer.Ordinal))
            histogram.WriteTo(text, "vaeonnx_inference_duration_seconds", ("operation", operation));

        text.Family("vaeonnx_model_ready", "gauge", "1 once the encoder and decoder sessions are loaded, else 0.");
        text.Sample("vaeonnx_model_ready", ModelReady);

        using var process = Process.GetCurrentProcess();
        text.Family("process_resident_memory_bytes", "gauge", "Resident set size of the server process.");
        text.Sample("process_resident_memory_bytes", process.WorkingSet64);
        text.Family("dotnet_gc_heap_bytes", "gauge", "Bytes the .NET garbage collector reports as in use.");
        text.Sample("dotnet_gc_heap_bytes", GC.GetTotalMemory(forceFullCollection: false));
        text.Family("dotnet_gc_committed_bytes", "gauge", "Bytes the .NET garbage collector has committed from the OS (in use plus kept for reuse).");
        text.Sample("dotnet_gc_committed_bytes", GC.GetGCMemoryInfo().TotalCommittedBytes);

        return text.ToString();
    }

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
