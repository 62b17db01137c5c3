// GET /metrics: the service's counters in Prometheus text exposition format (see ServingMetrics for the families).
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VaeOnnx.Runtime.AspNetCore.Metrics;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

internal static class MetricsEndpoint
{
    public static RouteHandlerBuilder Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/metrics", (ServingMetrics metrics) => TypedResults.Text(metrics.Render(), PrometheusText.ContentType));
}
