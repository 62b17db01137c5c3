// GET or HEAD /healthz (the process answers: liveness) and GET or HEAD /readyz (the model's sessions are loaded: readiness, 503 with a
// problem body and Retry-After while loading, after a failed load, or while shutting down). They run no inference.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VaeOnnx.Runtime.AspNetCore.Http;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore.Endpoints;

internal static class HealthEndpoints
{
    // Load balancers and monitors probe with HEAD as often as with GET; the answer is the same without its body.
    private static readonly string[] GetAndHead = [HttpMethods.Get, HttpMethods.Head];

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/healthz", GetAndHead, (HttpContext context) => Status(context, "alive"));
        endpoints.MapMethods("/readyz", GetAndHead, (HttpContext context, ModelHost host) =>
        {
            _ = host.Metadata; // throws the 503 problem that says why it is not ready
            return Status(context, "ready");
        });
    }

    // HEAD gets GET's status and content type without the body (Kestrel would drop it; other servers need not).
    private static IResult Status(HttpContext context, string status)
    {
        if (!HttpMethods.IsHead(context.Request.Method)) return TypedResults.Json(new { status });
        context.Response.ContentType = "application/json; charset=utf-8";
        return TypedResults.Empty;
    }
}
