// Test harness: the real service app (ServeHost.CreateBuilder + Build, the same code `runtime serve` runs) on an
// in-memory TestServer from Microsoft.AspNetCore.TestHost (Mvc.Testing's transport), with captured logs and an
// optional wrapped or replaced model loader. It does not open sockets; LoadTests does that against a real process.
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Runtime.Host.Serving;
using VaeOnnx.Runtime.AspNetCore.Metrics;

namespace VaeOnnx.Tests.Runtime.AspNetCore;

internal sealed class ServingApp : IAsyncDisposable
{
    private ServingApp(WebApplication app, CapturedLogs logs)
    {
        App = app;
        Logs = logs;
        Client = app.GetTestClient();
        Host = app.Services.GetRequiredService<ModelHost>();
        Metrics = app.Services.GetRequiredService<ServingMetrics>();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public ModelHost Host { get; }

    public ServingMetrics Metrics { get; }

    public CapturedLogs Logs { get; }

    /// <param name="wrap">Wraps the model loaded from <paramref name="modelFolder"/> (gates, faults).</param>
    /// <param name="loader">Replaces loading altogether (slow or failing loads).</param>
    public static async Task<ServingApp> StartAsync(string modelFolder, Action<VaeServingOptions>? configure = null,
        Func<IVaeInference, IVaeInference>? wrap = null, VaeModelLoader? loader = null, bool waitUntilReady = true)
    {
        var builder = ServeHost.CreateBuilder(overrides: options =>
        {
            options.ModelFolder = modelFolder;
            configure?.Invoke(options);
        });
        builder.WebHost.UseTestServer();
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        if (loader is not null)
            builder.Services.AddSingleton(loader);
        else if (wrap is not null)
            builder.Services.AddSingleton<VaeModelLoader>(_ => wrap(new VaeModelInference(VaeModel.Load(modelFolder))));

        var app = ServeHost.Build(builder);
        await app.StartAsync();
        var serving = new ServingApp(app, logs);
        if (waitUntilReady) await serving.Host.WhenReady.WaitAsync(TimeSpan.FromSeconds(30));
        return serving;
    }

    // The app stops before the client goes: disposing a TestServer client cancels its pending requests, which the
    // server sees as clients disconnecting (RequestAborted), not as a graceful shutdown with requests in flight.
    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Client.Dispose();
    }

    /// <summary>Every log line the app wrote, as "Category: message".</summary>
    public sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.GetType().Name)}");
        }
    }
}
