// `serve`: runs the HTTP decoder service (runtime/AspNetCore) until SIGINT/SIGTERM. Flags given on the command line win
// over the "VaeServing" configuration section (appsettings.json, --config FILE, VaeServing__* environment variables).
// Binds to 127.0.0.1:5080 unless --urls (or ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, "urls" in the configuration) says
// otherwise; ServeHost checks every such address first. It does no inference itself.
using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Runtime.Host.Serving;

using VaeOnnx.Runtime.Core.Inference;

using VaeOnnx.Runtime.Core;

using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Host.Cli;

public sealed class ServeCommand : CliCommand
{
    private readonly ModelOptions _model = new();

    private readonly Option<string?> _urls = new("--urls")
    {
        Description = $"Addresses to listen on, ';'-separated (default {ServeHost.DefaultUrl}: loopback only).",
        HelpName = "URLS",
    };

    private readonly Option<string?> _config = new("--config")
    {
        Description = "A JSON file with a \"VaeServing\" section (and any ASP.NET Core settings), read after appsettings.json.",
        HelpName = "FILE",
    };

    private readonly Option<bool> _noUi = new("--no-ui") { Description = "Do not serve the model explorer page at / (it is on by default; the API is unchanged)." };
    private readonly Option<string?> _resizeUploads = new("--resize-uploads")
    {
        Description = "Scale uploaded images of another size to the model's H×W with this resampler (nearest, box, bilinear, bicubic, mitchell, lanczos3, spline); by default they are refused.",
        HelpName = "RESAMPLER",
    };
    private readonly Option<bool> _greyUploads = new("--grey-uploads") { Description = "Convert colour uploads to grey for a grey model (by default they are refused)." };
    private readonly Option<int?> _maxCount = new("--max-count") { Description = "Largest count one /v1/sample request may ask for (default 64)." };
    private readonly Option<int?> _maxBatch = new("--max-batch") { Description = "Largest number of z vectors in one /v1/decode request (default 64)." };
    private readonly Option<int?> _maxScoreSamples = new("--max-score-samples") { Description = "Largest k (posterior draws per image) one /v1/score request may use (default 256)." };
    private readonly Option<long?> _maxBodyBytes = new("--max-body-bytes") { Description = "Largest request body in bytes (default 1048576)." };
    private readonly Option<double?> _requestTimeout = new("--request-timeout") { Description = "Seconds one request may wait for a slot plus infer (default 30).", HelpName = "SECONDS" };
    private readonly Option<int?> _maxConcurrent = new("--max-concurrent") { Description = "Inferences run at once (default: the number of CPU cores)." };
    private readonly Option<int?> _maxQueued = new("--max-queued") { Description = "Requests that may wait for a slot; beyond that the answer is 429 (default 64)." };
    private readonly Option<int?> _retryAfter = new("--retry-after") { Description = "Retry-After seconds sent with 429 and 503 answers (default 1).", HelpName = "SECONDS" };
    private readonly Option<double?> _shutdownTimeout = new("--shutdown-timeout") { Description = "Seconds a graceful shutdown waits for in-flight requests (default 30).", HelpName = "SECONDS" };

    public override string Name => "serve";

    public override string Description => "Serve the model over HTTP: /v1/model, /v1/sample, /v1/decode, /v1/reconstruct, /v1/encode, /v1/score, /healthz, /readyz, /metrics.";

    protected override void AddOptions(Command command)
    {
        _model.AddTo(command);
        foreach (Option option in new Option[] { _urls, _config, _noUi, _resizeUploads, _greyUploads, _maxCount, _maxBatch, _maxScoreSamples, _maxBodyBytes, _requestTimeout, _maxConcurrent, _maxQueued, _retryAfter, _shutdownTimeout })
            command.Add(option);
    }

    protected override int Execute(ParseResult parseResult, TextWriter output)
    {
        try
        {
            return Serve(parseResult);
        }
        catch (InvalidOperationException e) when (ServeConfig.DescribeBindingFailure(e.Message, parseResult.GetValue(_config)) is string message)
        {
            throw new CliUsageException(message);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            // Kestrel's "Failed to bind to address http://127.0.0.1:5080: address already in use." plus what to do.
            throw new CliUsageException($"{e.Message.TrimEnd('.')}; stop the process that holds it, or choose another address with --urls.");
        }
        catch (Exception e) when (e is SocketException || (e is IOException && e.Message.StartsWith("Failed to bind", StringComparison.Ordinal)))
        {
            // Binding failed for another reason than a port in use (an address not on this machine, a socket path).
            throw new CliUsageException($"The service could not listen: {UserErrors.OneLine(e.Message).TrimEnd('.')}; check --urls (or ASPNETCORE_URLS, Kestrel:Endpoints).");
        }
        catch (InvalidOperationException e) when (e.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
        {
            // ListenAddresses refuses https without a configured certificate; this is Kestrel refusing the one configured.
            throw new CliUsageException($"Kestrel could not set up https: {UserErrors.OneLine(e.Message).TrimEnd('.')}.");
        }
    }

    private int Serve(ParseResult parseResult)
    {
        string folder = _model.CheckedFolder(parseResult);
        var inference = _model.InferenceOptions(parseResult);
        if (parseResult.GetValue(_config) is string config)
            ServeConfig.Check(config, "--config");

        var builder = ServeHost.CreateBuilder(configFile: parseResult.GetValue(_config), urls: parseResult.GetValue(_urls), overrides: options =>
        {
            options.ModelFolder = folder;
            options.Inference = inference;
            options.StopOnLoadFailure = true;
            if (parseResult.GetValue(_noUi)) options.ServeUi = false;
            if (parseResult.GetValue(_resizeUploads) is string resampler) options.ResizeUploads = resampler;
            if (parseResult.GetValue(_greyUploads)) options.GreyUploads = true;
            if (parseResult.GetValue(_maxCount) is int maxCount) options.MaxCount = maxCount;
            if (parseResult.GetValue(_maxBatch) is int maxBatch) options.MaxBatch = maxBatch;
            if (parseResult.GetValue(_maxScoreSamples) is int maxScoreSamples) options.MaxScoreSamples = maxScoreSamples;
            if (parseResult.GetValue(_maxBodyBytes) is long maxBody) options.MaxBodyBytes = maxBody;
            if (parseResult.GetValue(_requestTimeout) is double timeout) options.RequestTimeout = Seconds(timeout, "--request-timeout");
            if (parseResult.GetValue(_maxConcurrent) is int concurrent) options.MaxConcurrentInference = concurrent;
            if (parseResult.GetValue(_maxQueued) is int queued) options.MaxQueuedInference = queued;
            if (parseResult.GetValue(_retryAfter) is int retryAfter) options.RetryAfterSeconds = retryAfter;
            if (parseResult.GetValue(_shutdownTimeout) is double shutdown) options.ShutdownTimeout = Seconds(shutdown, "--shutdown-timeout");
        });
        var app = ServeHost.Build(builder);
        var host = app.Services.GetRequiredService<ModelHost>();
        try
        {
            app.Run(); // returns after SIGINT/SIGTERM (or a failed load) and a graceful shutdown; it disposes the app
        }
        catch (OperationCanceledException) when (host.LoadFailed)
        {
            // Should a failed load stop the application while the host is still starting, the host throws instead of
            // returning. Either way the one thing to tell the user is that the model did not load.
        }
        if (host.LoadFailed)
        {
            string why = host.WhenReady.Exception?.InnerException is { } failure ? UserErrors.OneLine(failure.Message) : "see the log above";
            throw new CliUsageException($"The model failed to load: {why.TrimEnd('.')}.");
        }
        return Success;
    }

    private static TimeSpan Seconds(double seconds, string flag) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliUsageException($"{flag} {UserText.Number(seconds)} is not usable; give seconds from 0 to 86400.");
}
