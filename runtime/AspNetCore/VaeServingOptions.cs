// The knobs of the HTTP decoder service: where the model is, how it runs, and every limit that protects the process.
// Bound from the "VaeServing" configuration section, CLI flags or code; it does not read files or start anything itself.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.Inference;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.AspNetCore;

/// <summary>The service's settings: where the model is, how it runs, and every limit that protects the process. Bound from the "VaeServing" configuration section or set in code; checked by <see cref="Validate"/>.</summary>
public sealed class VaeServingOptions
{
    /// <summary>The configuration section these options bind from (appsettings.json, environment VaeServing__MaxCount=..).</summary>
    public const string SectionName = "VaeServing";

    /// <summary>Folder holding encoder.onnx and decoder.onnx. Required unless a custom loader is registered.</summary>
    public string? ModelFolder { get; set; }

    /// <summary>How the ONNX Runtime sessions are created; null means the runtime's defaults (CPU).</summary>
    public InferenceOptions? Inference { get; set; }

    /// <summary>Largest <c>count</c> a /v1/sample request may ask for.</summary>
    public int MaxCount { get; set; } = 64;

    /// <summary>Largest number of z vectors in one /v1/decode request.</summary>
    public int MaxBatch { get; set; } = 64;

    /// <summary>Largest number of posterior draws per image (k) one /v1/score request may ask for.</summary>
    public int MaxScoreSamples { get; set; } = 256;

    /// <summary>Largest request body in bytes, enforced by Kestrel and again by every endpoint while it reads.</summary>
    public long MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>How long one request may wait for an inference slot plus run its inference.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Inferences running at the same time; further requests wait in the bounded queue.</summary>
    public int MaxConcurrentInference { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, ThreadCount.MaxCount);

    /// <summary>Requests allowed to wait for a slot; beyond running + queued the service answers 429 at once.</summary>
    public int MaxQueuedInference { get; set; } = 64;

    /// <summary>The Retry-After value (seconds) sent with 429 and 503 answers.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>How long a graceful shutdown waits for in-flight requests and inferences before the sessions are freed.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop the host when the model fails to load (the CLI does), instead of serving 503 from /readyz.</summary>
    public bool StopOnLoadFailure { get; set; }

    /// <summary>
    /// Whether ServeHost (<c>runtime serve</c>) maps the model explorer page at "/" (Ui.VaeUiExtensions.MapVaeUi; off with
    /// --no-ui). An embedding app maps the page itself by calling MapVaeUi.
    /// </summary>
    public bool ServeUi { get; set; } = true;

    /// <summary>
    /// When set (a resampler name from ImageReadOptions.ResamplerNames, e.g. "bicubic"), uploaded images of another size
    /// are scaled to the model's H×W with it (--resize-uploads); when null, the default, they are refused with a 400
    /// naming both sizes.
    /// </summary>
    public string? ResizeUploads { get; set; }

    /// <summary>Convert colour uploads to grey (ITU-R BT.709) for a grey model (--grey-uploads); off by default, when a
    /// colour image sent to a grey model is refused.</summary>
    public bool GreyUploads { get; set; }

    /// <summary>Largest MaxQueuedInference: requests waiting for a slot (bounded so the gate's capacity cannot overflow).</summary>
    public const int MaxQueuedBound = 1_000_000;

    /// <summary>Throws with every wrong value named, so a bad flag or config entry fails at start, not under traffic.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (MaxCount < 1) errors.Add($"MaxCount is {MaxCount}; it must be at least 1.");
        if (MaxBatch < 1) errors.Add($"MaxBatch is {MaxBatch}; it must be at least 1.");
        if (ScoreSamples.Problem(MaxScoreSamples, nameof(MaxScoreSamples)) is string samples) errors.Add(samples);
        if (MaxBodyBytes < 1024 || MaxBodyBytes > 1L << 30) errors.Add($"MaxBodyBytes is {MaxBodyBytes}; it must be between 1024 bytes and 1 GiB.");
        if (RequestTimeout <= TimeSpan.Zero) errors.Add($"RequestTimeout is {RequestTimeout}; it must be positive.");
        // One inference thread per slot (InferenceGate): bounded like every thread count (ThreadCount), or 2^31 threads were started.
        if (MaxConcurrentInference < 1 || MaxConcurrentInference > ThreadCount.MaxCount) errors.Add($"MaxConcurrentInference is {MaxConcurrentInference}; it must be from 1 to {ThreadCount.MaxCount}.");
        if (MaxQueuedInference < 0 || MaxQueuedInference > MaxQueuedBound) errors.Add($"MaxQueuedInference is {MaxQueuedInference}; it must be from 0 to {MaxQueuedBound}.");
        if (RetryAfterSeconds < 1 || RetryAfterSeconds > 86400) errors.Add($"RetryAfterSeconds is {RetryAfterSeconds}; it must be from 1 to 86400.");
        if (Inference is not null && ThreadCount.ProblemForOnnxRuntime(Inference.IntraOpThreads, "Inference.IntraOpThreads") is string threads) errors.Add(threads);
        if (ResizeUploads is not null && !ImageReadOptions.ResamplerNames.Contains(ResizeUploads.Trim().ToLowerInvariant()))
            errors.Add($"ResizeUploads is '{UserText.Echo(ResizeUploads)}'; use one of {string.Join(", ", ImageReadOptions.ResamplerNames)}, or leave it unset to refuse images of another size.");
        if (ShutdownTimeout < TimeSpan.Zero) errors.Add($"ShutdownTimeout is {ShutdownTimeout}; it must not be negative.");
        if (errors.Count > 0)
            throw new ArgumentException("Invalid serving options: " + string.Join(" ", errors) + " Fix the flag or the VaeServing configuration entry.");
    }
}
