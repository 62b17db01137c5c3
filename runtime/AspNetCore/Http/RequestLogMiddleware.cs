// Logs one line per request (method, path, status, latency) and feeds the request counters. It sits outermost so it
// sees the final status, including problem answers and client aborts (logged as 499). It does not change answers.
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.AspNetCore.Metrics;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal sealed partial class RequestLogMiddleware(RequestDelegate next, ServingMetrics metrics, ILogger<RequestLogMiddleware> logger)
{
    private const int MaxLoggedPathLength = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            int status = context.Response.StatusCode;
            // Label by route pattern, never by raw path, so random URLs cannot grow the metric set.
            string endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.RecordRequest(endpoint, context.Request.Method, status, elapsed);
            string path = context.Request.Path.Value ?? "";
            if (path.Length > MaxLoggedPathLength) path = path[..MaxLoggedPathLength] + "...";
            LogRequest(logger, context.Request.Method, path, status, elapsed.TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} in {ElapsedMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double elapsedMs);
}
