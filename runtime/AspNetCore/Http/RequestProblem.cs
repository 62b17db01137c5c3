// The one way request-handling code reports "this request cannot be served" (bad input, overload, not ready, timeout).
// ProblemMiddleware turns it into an RFC 9457 problem+json answer; it is never used for bugs, which stay 500s.
using Microsoft.AspNetCore.Http;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal sealed class RequestProblemException(int status, string title, string detail, int? retryAfterSeconds = null)
    : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string Detail { get; } = detail;

    /// <summary>When set, the answer carries a Retry-After header with this many seconds (429, 503).</summary>
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}

/// <summary>Factories for the problems the service raises, so titles stay consistent across endpoints.</summary>
internal static class RequestProblem
{
    public static RequestProblemException BadRequest(string detail) =>
        new(StatusCodes.Status400BadRequest, "The request is invalid.", detail);

    /// <summary>404: what was asked for does not exist here; <paramref name="detail"/> says what to do instead.</summary>
    public static RequestProblemException NotFound(string detail) =>
        new(StatusCodes.Status404NotFound, "Not found.", detail);

    public static RequestProblemException PayloadTooLarge(long limit, string what) =>
        new(StatusCodes.Status413PayloadTooLarge, "The request body is too large.",
            $"{what} is larger than this endpoint's limit of {limit} bytes; send a smaller body (the limit is VaeServing:MaxBodyBytes / --max-body-bytes).");

    public static RequestProblemException UnsupportedMediaType(string? actual, string expected) =>
        new(StatusCodes.Status415UnsupportedMediaType, "The request body has the wrong content type.",
            string.IsNullOrEmpty(actual)
                ? $"The Content-Type header is missing; this endpoint takes {expected}."
                : $"The Content-Type is '{actual}'; this endpoint takes {expected}.");

    public static RequestProblemException NotAcceptable(string accept, string offered) =>
        new(StatusCodes.Status406NotAcceptable, "No acceptable response format.",
            $"Accept is '{accept}'; this endpoint answers {offered}.");

    public static RequestProblemException TooManyRequests(int maxConcurrent, int maxQueued, int retryAfterSeconds) =>
        new(StatusCodes.Status429TooManyRequests, "Too many concurrent inference requests.",
            $"The service runs at most {maxConcurrent} inference(s) at once with {maxQueued} more waiting, and both are full; retry after {retryAfterSeconds} s.",
            retryAfterSeconds);

    public static RequestProblemException NotReady(string detail, int retryAfterSeconds) =>
        new(StatusCodes.Status503ServiceUnavailable, "The model is not ready.", detail, retryAfterSeconds);

    public static RequestProblemException QueueTimeout(TimeSpan timeout, int retryAfterSeconds) =>
        new(StatusCodes.Status503ServiceUnavailable, "No inference slot became free in time.",
            $"The request waited the whole request timeout ({timeout.TotalSeconds:0.###} s) for an inference slot; retry after {retryAfterSeconds} s.",
            retryAfterSeconds);

    public static RequestProblemException InferenceTimeout(TimeSpan timeout) =>
        new(StatusCodes.Status504GatewayTimeout, "The inference did not finish in time.",
            $"The inference ran past the request timeout ({timeout.TotalSeconds:0.###} s); ask for fewer images or raise VaeServing:RequestTimeout.");
}
