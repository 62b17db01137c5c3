// Turns everything that goes wrong while handling a request into an RFC 9457 problem+json answer: request problems
// keep their status and detail; Kestrel's own bad-request errors while the body is read (a bad chunk size, a body
// arriving too slowly, one over the wire limit) keep theirs (400, 408, 413) and close the connection: they are the
// client's errors, answered and counted as such, not disconnects (they used to be taken for the client leaving, the
// connection reset and 499 logged); empty error answers (404, 405) get a body; other exceptions are classified by Core.Errors.UserErrors, the CLIs' classification: a model fault (NaN or
// infinite output, a graph that does not run) is a 500 titled as the model's failure with its one-line message, a
// user error a 400 with its one-line message (ONNX Runtime's source locations already removed by InferenceException),
// and anything else a bug: a 500 whose body says only that it was logged, no exception text or stack trace. Client
// disconnects (a reset, a body cut short by a closed connection) are recorded, not answered. An answer that closes the
// connection while the client may still be sending its body is followed by a short lingering read, so the answer
// reaches the client before the close resets the connection. It does not log successful requests.
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using VaeOnnx.Runtime.AspNetCore.Metrics;
using VaeOnnx.Runtime.Core.Errors;

namespace VaeOnnx.Runtime.AspNetCore.Http;

internal sealed partial class ProblemMiddleware(RequestDelegate next, ServingMetrics metrics, ILogger<ProblemMiddleware> logger)
{
    public const string ProblemContentType = "application/problem+json";

    /// <summary>The status logged and counted for a request whose client went away (nginx's convention; never sent).</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>The title of the answer when the model, not the request, failed (ModelOutputException and the like).</summary>
    public const string ModelFaultTitle = "The model failed on a valid request.";

    /// <summary>HttpContext.Items key: set it to make the error answer carry "Connection: close".</summary>
    public const string CloseConnectionKey = "VaeOnnx.Serving.CloseConnection";

    /// <summary>Longest a closing error answer keeps reading (and dropping) the rest of a body the client is still sending.</summary>
    public static readonly TimeSpan LingerTime = TimeSpan.FromSeconds(2);

    /// <summary>Most bytes a closing error answer reads and drops after it is sent (64 MiB).</summary>
    public const long LingerBytes = 64L << 20;

    // Relaxed escaping keeps quotes in details readable ("\"" rather than "\u0022"); problem+json is never inlined in HTML.
    private static readonly JsonSerializerOptions ProblemJson = new(JsonSerializerOptions.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
            if (IsEmptyError(context.Response))
                await TryWriteAsync(context, context.Response.StatusCode, null, DescribeEmptyError(context), null).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted && !EndedEarly(e))
        {
            // Kestrel's rejections of the body's framing (a bad chunk size or suffix, a body over the wire limit, one
            // arriving too slowly): Kestrel will not read this connection further, so the answer closes it.
            context.Items[CloseConnectionKey] = true;
            await TryWriteAsync(context, e.StatusCode, null, DescribeFraming(e.StatusCode, e.Message), null).ConfigureAwait(false);
        }
        catch (IOException e) when (!context.Response.HasStarted && IsMalformedBody(context, e))
        {
            // Kestrel reports a chunk size that overflows as an IOException ("Bad chunk size data.") on a live connection.
            context.Items[CloseConnectionKey] = true;
            await TryWriteAsync(context, StatusCodes.Status400BadRequest, null, DescribeFraming(StatusCodes.Status400BadRequest, e.Message), null).ConfigureAwait(false);
        }
        catch (Exception e) when (IsClientGone(context, e))
        {
            ClientGone(context);
        }
        catch (RequestProblemException problem) when (!context.Response.HasStarted)
        {
            await TryWriteAsync(context, problem.Status, problem.Title, problem.Detail, problem.RetryAfterSeconds).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && UserErrors.IsModelFault(e))
        {
            // The request was valid and the model failed on it (NaN or infinite output, a graph ONNX Runtime cannot run):
            // the server's fault, so 5xx, but one that names the model rather than a bug in the service.
            metrics.RecordModelFault();
            LogModelFault(logger, context.Request.Method, context.Request.Path.Value ?? "", context.TraceIdentifier, e);
            await TryWriteAsync(context, StatusCodes.Status500InternalServerError, ModelFaultTitle,
                $"{UserErrors.OneLine(e.Message)} The request itself was valid; this is logged with trace id {context.TraceIdentifier} for the operator.",
                null).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && UserErrors.IsUserError(e))
        {
            // The shared classification (Core.Errors.UserErrors, as the CLIs use it): input the model refused is the
            // client's error. Endpoints validate first, so reaching here means a check is missing: it is logged.
            LogUserError(logger, context.Request.Method, context.Request.Path.Value ?? "", context.TraceIdentifier, e);
            await TryWriteAsync(context, StatusCodes.Status400BadRequest, null, UserErrors.OneLine(e.Message), null).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            metrics.RecordUnhandledException();
            LogUnhandled(logger, context.Request.Method, context.Request.Path.Value ?? "", context.TraceIdentifier, e);
            if (context.Response.HasStarted)
            {
                context.Abort(); // a half-written answer must not look complete
                return;
            }
            await TryWriteAsync(context, StatusCodes.Status500InternalServerError, "An unexpected error occurred.",
                $"The server could not handle this request. It was logged with trace id {context.TraceIdentifier}; report that id to the operator.",
                null).ConfigureAwait(false);
        }
    }

    // Kestrel's "Unexpected end of request content": the connection closed before the body was complete, so there is
    // nobody to answer; every other BadHttpRequestException is a request that can be answered.
    private static bool EndedEarly(BadHttpRequestException e) => e.Message.Contains("Unexpected end of request content", StringComparison.Ordinal);

    // Kestrel's parse of a chunk size that overflows throws an IOException around the OverflowException; every other
    // IOException on the request path is the connection failing.
    private static bool IsMalformedBody(HttpContext context, IOException e) =>
        !context.RequestAborted.IsCancellationRequested && e.InnerException is OverflowException or FormatException;

    private static string DescribeFraming(int status, string message) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "The body is larger than the server's limit (VaeServing:MaxBodyBytes / --max-body-bytes); send a smaller body.",
        StatusCodes.Status408RequestTimeout => "The body arrived too slowly (under the server's minimum data rate); send it at once, at network speed.",
        _ => $"The body's framing is invalid ({UserErrors.OneLine(message).TrimEnd('.')}); send a body of the length Content-Length gives, or valid chunked encoding, not both.",
    };

    /// <summary>Writes a problem+json answer, replacing whatever headers the failed handler had set.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string? title, string detail, int? retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        if (context.Items.ContainsKey(CloseConnectionKey) || RequestBody.UnreadBodyMayBlockReuse(context))
            response.Headers.Connection = "close";
        if (retryAfterSeconds is int seconds)
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Type = TypeFor(status),
            Title = title ?? ReasonPhrases.GetReasonPhrase(status),
            Status = status,
            Detail = detail,
            Instance = context.Request.Path.Value,
        };
        problem.Extensions["traceId"] = context.TraceIdentifier;
        response.ContentType = ProblemContentType;
        await JsonSerializer.SerializeAsync(response.Body, problem, ProblemJson, context.RequestAborted).ConfigureAwait(false);
    }

    // The request path does no file IO, so an IOException is the connection failing (reset, closed mid-body); a
    // cancellation or a truncated body counts as the client leaving only once Kestrel has seen the connection go.
    private static bool IsClientGone(HttpContext context, Exception e) =>
        e is IOException
        || (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or BadHttpRequestException);

    private void ClientGone(HttpContext context)
    {
        metrics.RecordClientAbort();
        if (!context.Response.HasStarted) context.Response.StatusCode = ClientClosedRequest;
        context.Abort(); // nothing more to read or send; do not let Kestrel drain a dead request body
    }

    private async Task TryWriteAsync(HttpContext context, int status, string? title, string detail, int? retryAfterSeconds)
    {
        try
        {
            await WriteAsync(context, status, title, detail, retryAfterSeconds).ConfigureAwait(false);
            await LingerAsync(context).ConfigureAwait(false);
        }
        catch (Exception e) when (IsClientGone(context, e) || e is OperationCanceledException)
        {
            ClientGone(context);
        }
    }

    // After an answer that closes the connection, the client may still be sending the body (a 50 MB upload refused at
    // 2 MB): closing with its bytes unread makes the kernel reset the connection, which can destroy the answer on its
    // way (the client saw "100 Continue" and then a reset). The answer is sent first; then the rest of the body is read
    // and dropped for at most LingerTime and LingerBytes, as nginx's lingering close does.
    private static async Task LingerAsync(HttpContext context)
    {
        if (!context.Response.Headers.Connection.ToString().Contains("close", StringComparison.OrdinalIgnoreCase)
            || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return;
        }
        await context.Response.CompleteAsync().ConfigureAwait(false);
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        linger.CancelAfter(LingerTime);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            long dropped = 0;
            int read;
            while (dropped < LingerBytes && (read = await context.Request.Body.ReadAsync(scratch, linger.Token).ConfigureAwait(false)) > 0)
            {
                dropped += read;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException or InvalidOperationException)
        {
            // The client stopped, the time ran out, or Kestrel will read no more: the answer is out either way.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static bool IsEmptyError(HttpResponse response) =>
        !response.HasStarted && response.StatusCode >= 400 && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType);

    private static string DescribeEmptyError(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => $"There is no endpoint at {context.Request.Path}; GET /v1/model lists the model, and the service README lists the endpoints.",
        StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
        int status => $"The request failed with status {status}.",
    };

    private static string TypeFor(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        405 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
        406 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.7",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        500 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        504 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.5",
        _ => "about:blank",
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "The model failed on {Method} {Path} (trace id {TraceId}); answered 500")]
    private static partial void LogModelFault(ILogger logger, string method, string path, string traceId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A user error reached the problem mapping for {Method} {Path} (trace id {TraceId}); answered 400")]
    private static partial void LogUserError(ILogger logger, string method, string path, string traceId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path} (trace id {TraceId})")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, string traceId, Exception exception);
}
