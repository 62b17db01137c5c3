// Owns the served model's lifetime: loads it in the background when the host starts (so /readyz can say "not yet"
// truthfully), hands it to inference only through the InferenceGate, and frees the native sessions last, after the
// server has drained its requests and every model call still running has returned. It does not parse requests.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.AspNetCore.Http;
using VaeOnnx.Runtime.AspNetCore.Metrics;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore;

/// <summary>Creates the model the service serves; runs once, on a background thread, when the host starts.</summary>
public delegate IVaeInference VaeModelLoader(CancellationToken cancellationToken);

/// <summary>Where the served model is in its life (<see cref="ModelHost.State"/>).</summary>
public enum ModelState
{
    /// <summary>The model is being loaded; /readyz answers 503.</summary>
    Loading,

    /// <summary>The model is loaded and serving.</summary>
    Ready,

    /// <summary>The load threw; /readyz answers 503 (and the host stops when StopOnLoadFailure is set).</summary>
    Failed,

    /// <summary>The host is shutting down; no new inference starts.</summary>
    Stopped,
}

/// <summary>Owns the served model's lifetime: loads it in the background once the server listens (so /readyz can say "not yet"), runs inference on it only inside the inference gate, and frees the native sessions last, after requests have drained and model calls still running have returned. AddVaeServing registers it; resolve it to watch the load or to run inference from endpoints of your own.</summary>
public sealed partial class ModelHost : IHostedService, IDisposable
{
    private readonly VaeServingOptions _options;
    private readonly VaeModelLoader _loader;
    private readonly InferenceGate _gate;
    private readonly ServingMetrics _metrics;
    private readonly ILogger<ModelHost> _logger;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loading = Task.CompletedTask;
    private IVaeInference? _model;
    private int _state = (int)ModelState.Loading;
    private bool _disposed;
    private volatile bool _loadFailed;

    internal ModelHost(VaeServingOptions options, VaeModelLoader loader, InferenceGate gate, ServingMetrics metrics,
        IHostApplicationLifetime lifetime, ILogger<ModelHost> logger)
    {
        _lifetime = lifetime;
        _options = options;
        _loader = loader;
        _gate = gate;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Loading, Ready, Failed (the load threw) or Stopped (shutting down).</summary>
    public ModelState State => (ModelState)Volatile.Read(ref _state);

    /// <summary>True once loading has failed (stays true after shutdown, unlike <see cref="State"/>).</summary>
    public bool LoadFailed => _loadFailed;

    /// <summary>Completes when the model is loaded; faults with the load error if loading failed.</summary>
    public Task WhenReady => _loaded.Task;

    /// <summary>The loaded model's metadata; throws a 503 problem while the model is not ready.</summary>
    public VaeMetadata Metadata => ReadyModel().Metadata;

    /// <summary>The loaded model's anomaly threshold (calibration.json), or null; throws a 503 problem while the model is not ready.</summary>
    public Core.Scoring.ScoreCalibration? Calibration => ReadyModel().Calibration;

    /// <summary>The loaded model's latent points (latent-points.json), or null; throws a 503 problem while the model is not ready.</summary>
    internal Core.LatentMap.LatentPoints? LatentPoints => ReadyModel().LatentPoints;

    /// <summary>The loaded model's example images (examples/); throws a 503 problem while the model is not ready.</summary>
    internal IReadOnlyList<Core.Examples.ModelExample> Examples => ReadyModel().Examples;

    internal InferenceGate Gate => _gate;

    /// <summary>The options the service was registered with.</summary>
    public VaeServingOptions Options => _options;

    // The load starts once the server is listening, so an address that cannot be bound stops the service before any
    // model is loaded (a large model would otherwise delay that one-line error by its whole load).
    /// <summary>Starts the model's load in the background once the application has started (the server listens); returns at once.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _lifetime.ApplicationStarted.Register(() => Volatile.Write(ref _loading, Task.Run(Load, CancellationToken.None)));
        return Task.CompletedTask;
    }

    // The sessions outlive StopAsync on purpose: the web server may still be draining requests that need them.
    /// <summary>Does nothing: the sessions outlive the stop while the server drains requests, and are released by <see cref="Dispose"/>.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs <paramref name="work"/> on the model inside an inference slot, on one of the service's inference threads,
    /// within the limits of <see cref="VaeServingOptions"/>: the request is answered 429 (with Retry-After) when every slot
    /// and the queue are taken, 504 after RequestTimeout, and 503 while the model is loading, failed or shutting down
    /// (the exceptions carry those answers to UseVaeServing's middleware). <paramref name="work"/> gets the token to hand
    /// to the model: it is <paramref name="requestAborted"/>, so a client leaving mid-run ends the run.
    /// </summary>
    /// <param name="operation">Names the operation in the metrics (vaeonnx_inference_duration_seconds{operation}).</param>
    /// <param name="work">The model calls to make; it must pass the token it gets to them.</param>
    /// <param name="requestAborted">The request's abort token (HttpContext.RequestAborted).</param>
    public Task<T> RunAsync<T>(string operation, Func<IVaeInference, CancellationToken, T> work, CancellationToken requestAborted)
    {
        ReadyModel(); // refuse before queueing when there is nothing to run on
        return _gate.RunAsync(operation, cancellationToken => work(ReadyModel(), cancellationToken), requestAborted);
    }

    /// <summary>Marks the model stopped, waits for running model calls, then disposes the sessions.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Publishing Stopped before reading the gate's running count pairs with the gate counting a call before the call
        // reads the state (both are full fences), so no call can start on a model this method is about to dispose.
        Interlocked.Exchange(ref _state, (int)ModelState.Stopped);
        _metrics.ModelReady = 0;
        _stopping.Cancel();
        if (!Volatile.Read(ref _loading).Wait(_options.ShutdownTimeout))
        {
            LogLoadStillRunning(_logger);
            return;
        }
        if (_model is null) return;
        if (!_gate.WaitForIdle(_options.ShutdownTimeout))
        {
            // Freeing sessions under a running native call would crash the process; leaking them at exit does not.
            LogNotIdle(_logger, _gate.Running, _options.ShutdownTimeout.TotalSeconds);
            return;
        }
        _model.Dispose();
        _model = null;
        LogDisposed(_logger);
        _stopping.Dispose();
    }

    private IVaeInference ReadyModel()
    {
        var state = State;
        if (state == ModelState.Ready && Volatile.Read(ref _model) is { } model) return model;
        throw state switch
        {
            ModelState.Loading => RequestProblem.NotReady("The model is still loading; retry shortly (GET /readyz answers 200 once it is ready).", _options.RetryAfterSeconds),
            ModelState.Failed => RequestProblem.NotReady("The model failed to load; the server log says why. Fix the model folder and restart the service.", _options.RetryAfterSeconds),
            _ => RequestProblem.NotReady("The service is shutting down.", _options.RetryAfterSeconds),
        };
    }

    private void Load()
    {
        try
        {
            LogLoading(_logger, _options.ModelFolder ?? "(custom loader)");
            var model = _loader(_stopping.Token);
            var m = model.Metadata;
            Volatile.Write(ref _model, model);
            if (Interlocked.CompareExchange(ref _state, (int)ModelState.Ready, (int)ModelState.Loading) != (int)ModelState.Loading)
                return; // stopped while loading: Dispose frees it
            _metrics.ModelReady = 1;
            LogReady(_logger, m.Channels, m.Height, m.Width, m.LatentSize, m.Likelihood.ToString());
            _loaded.TrySetResult();
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _state, (int)ModelState.Failed, (int)ModelState.Loading);
            _loadFailed = true;
            LogLoadFailed(_logger, e);
            _loaded.TrySetException(e);
            if (_options.StopOnLoadFailure) _lifetime.StopApplication();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading the model from {Folder}")]
    private static partial void LogLoading(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model ready: images ({Channels}, {Height}, {Width}), latent size {LatentSize}, likelihood {Likelihood}")]
    private static partial void LogReady(ILogger logger, int channels, int height, int width, int latentSize, string likelihood);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The model failed to load; /readyz will answer 503 until the service is restarted with a valid model")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The model was still loading at shutdown; its sessions are left to the process exit")]
    private static partial void LogLoadStillRunning(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Running} model calls were still running after {Seconds} s; the sessions are left to the process exit rather than freed under them")]
    private static partial void LogNotIdle(ILogger logger, int running, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model sessions disposed")]
    private static partial void LogDisposed(ILogger logger);
}
