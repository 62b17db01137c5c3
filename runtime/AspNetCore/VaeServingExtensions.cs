// The three calls that embed the decoder service in any ASP.NET Core app:
//   builder.Services.AddVaeServing(options);   // model host, inference gate, metrics
//   app.UseVaeServing();                       // request log + metrics, problem+json errors (put it first)
//   app.MapVae();                              // /v1/*, /healthz, /readyz, /metrics
// It does not configure Kestrel, URLs or logging: the host's Serving/ServeHost does that for the standalone `runtime serve`.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.AspNetCore.Endpoints;
using VaeOnnx.Runtime.AspNetCore.Http;
using VaeOnnx.Runtime.AspNetCore.Metrics;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore;

/// <summary>The three calls that embed the VaeOnnx service in an ASP.NET Core app: AddVaeServing, UseVaeServing, MapVae.</summary>
public static class VaeServingExtensions
{
    /// <summary>
    /// Registers the service. The model is loaded from <see cref="VaeServingOptions.ModelFolder"/> in the background when
    /// the host starts, unless a <see cref="VaeModelLoader"/> is registered (a later registration wins over the default).
    /// </summary>
    public static IServiceCollection AddVaeServing(this IServiceCollection services, VaeServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.TryAddSingleton<ServingMetrics>();
        services.TryAddSingleton<InferenceGate>();
        services.TryAddSingleton<VaeModelLoader>(_ => DefaultLoader(options));
        services.TryAddSingleton(provider => new ModelHost(provider.GetRequiredService<VaeServingOptions>(),
            provider.GetRequiredService<VaeModelLoader>(), provider.GetRequiredService<InferenceGate>(),
            provider.GetRequiredService<ServingMetrics>(), provider.GetRequiredService<IHostApplicationLifetime>(),
            provider.GetRequiredService<ILogger<ModelHost>>()));
        services.AddHostedService(provider => provider.GetRequiredService<ModelHost>());
        return services;
    }

    /// <summary>Registers the service with options set by <paramref name="configure"/> (see the other overload).</summary>
    /// <exception cref="ArgumentException">An option is out of range (<see cref="VaeServingOptions.Validate"/>).</exception>
    public static IServiceCollection AddVaeServing(this IServiceCollection services, Action<VaeServingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new VaeServingOptions();
        configure(options);
        return services.AddVaeServing(options);
    }

    /// <summary>Adds the request log, the request metrics and the problem+json error handling. Call it before other middleware.</summary>
    public static IApplicationBuilder UseVaeServing(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<ProblemMiddleware>();
        return app;
    }

    /// <summary>
    /// Maps GET /healthz, /readyz, /metrics and the model endpoints under /v1. Returns the /v1 group so callers can add
    /// conventions (auth, rate limits) or more endpoints.
    /// </summary>
    public static RouteGroupBuilder MapVae(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        HealthEndpoints.Map(endpoints);
        MetricsEndpoint.Map(endpoints);

        var v1 = endpoints.MapGroup("/v1");
        ModelEndpoint.Map(v1);
        SampleEndpoint.Map(v1);
        SampleEndpoint.MapLatents(v1);
        DecodeEndpoint.Map(v1);
        InterpolateEndpoint.Map(v1);
        InterpolateEndpoint.MapLatents(v1);
        LatentPointsEndpoint.Map(v1);
        ExamplesEndpoint.Map(v1);
        ReconstructEndpoint.Map(v1);
        EncodeEndpoint.Map(v1);
        ScoreEndpoint.Map(v1);
        return v1;
    }

    private static VaeModelLoader DefaultLoader(VaeServingOptions options) => _ =>
    {
        if (string.IsNullOrWhiteSpace(options.ModelFolder))
            throw new InvalidOperationException("No model folder is configured; set VaeServing:ModelFolder (or --model) to a folder with encoder.onnx and decoder.onnx.");
        var model = VaeModel.Load(options.ModelFolder, options.Inference);
        try
        {
            return new VaeModelInference(model);
        }
        catch
        {
            model.Dispose(); // the calibration or the latent points were unusable: do not leak the sessions
            throw;
        }
    };
}
