// Builds the standalone decoder service (`runtime serve`) and the same app for in-process tests: configuration
// (appsettings.json, VaeServing__* environment variables, an optional --config file, then explicit flags; a malformed
// appsettings.json is one line), listen addresses by one policy (ListenAddresses) with loopback binding by default,
// Kestrel limits, one-line console logs, graceful-shutdown timeout. It does not parse CLI flags.
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.AspNetCore.Ui;

using VaeOnnx.Runtime.Core;

using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Runtime.Host.Serving;

public static partial class ServeHost
{
    /// <summary>Where the service listens when no URL is configured: loopback only, never all interfaces by default.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// A builder with the service registered. Options come from the "VaeServing" section of the configuration (including
    /// <paramref name="configFile"/> when given), then <paramref name="overrides"/> (the CLI's explicit flags) on top.
    /// Tests may change the builder (UseTestServer, replace the <see cref="VaeModelLoader"/>) before <see cref="Build"/>.
    /// <paramref name="urls"/> (serve's --urls) replaces the configured "urls"; a bad address from any source throws an
    /// ArgumentException naming its source.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[]? args = null, string? configFile = null, string? urls = null,
        Action<VaeServingOptions>? overrides = null)
    {
        var builder = CreateWebBuilder(args ?? []);
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
                throw new FileNotFoundException($"The configuration file '{configFile}' does not exist; pass an existing JSON file to --config.", configFile);
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }

        var options = new VaeServingOptions();
        builder.Configuration.GetSection(VaeServingOptions.SectionName).Bind(options);
        overrides?.Invoke(options);
        options.Validate();

        // Every source of listen addresses passes one policy here, before a model is loaded or a socket bound; the
        // loopback default applies only when no source gives any address, and host names are bound where they resolve.
        var plan = ListenAddresses.Check(builder.Configuration, urls);
        if (!plan.Configured) builder.WebHost.UseUrls(DefaultUrl);
        else if (plan.Urls is not null) builder.WebHost.UseUrls(plan.Urls);
        if (plan.EndpointUrls.Count > 0) builder.Configuration.AddInMemoryCollection(plan.EndpointUrls.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Twice the endpoints' limit: room to read and discard a refused body so its 413 arrives on a usable connection.
            kestrel.Limits.MaxRequestBodySize = 2 * options.MaxBodyBytes;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        // The service's own request log replaces ASP.NET Core's per-request lines.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The host throws its start and stop failures to whoever runs it (runtime serve reports them: one line for a
        // user error such as a port in use, the whole exception for a bug); its own log of them repeats that with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        builder.Services.AddVaeServing(options);
        return builder;
    }

    // ASP.NET Core reads appsettings.json (and appsettings.ENVIRONMENT.json) from the working directory while it builds
    // the configuration; a malformed one was an InvalidDataException and a stack trace. It is the user's file: one line
    // naming it, the line and column, and what to do.
    private static WebApplicationBuilder CreateWebBuilder(string[] args)
    {
        try
        {
            return WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        }
        catch (InvalidDataException e) when (FindJsonError(e) is { } json)
        {
            var file = ConfigurationFile().Match(e.Message);
            string name = file.Success ? UserText.Path(file.Groups["path"].Value) : "a configuration file";
            throw new FormatException(
                $"{name} is not valid JSON: {JsonErrors.Describe(json)}; fix it, or remove it (serve reads appsettings.json from the folder it runs in).", e);
        }
    }

    private static JsonException? FindJsonError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is JsonException json) return json;
        }
        return null;
    }

    [GeneratedRegex("from file '(?<path>[^']+)'")]
    private static partial Regex ConfigurationFile();

    /// <summary>Builds the app from <paramref name="builder"/> with the service's middleware and endpoints mapped.</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseVaeServing();
        app.MapVae();
        if (app.Services.GetRequiredService<VaeServingOptions>().ServeUi) app.MapVaeUi();
        return app;
    }
}
