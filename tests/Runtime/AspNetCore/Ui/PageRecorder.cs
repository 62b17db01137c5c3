// Test helper: watches one Playwright page for what the browser tests forbid or measure: every request URL (each
// must stay on the service's origin), console errors, uncaught page errors and failed requests. It asserts only when
// asked, so a test that provokes an error on purpose can still use it.
using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

public sealed class PageRecorder
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly ConcurrentQueue<string> _failedRequests = new();

    public PageRecorder(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.Request += (_, request) => _requests.Enqueue(request.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _consoleErrors.Enqueue(message.Text);
        };
        page.PageError += (_, error) => _pageErrors.Enqueue(error);
        page.RequestFailed += (_, request) => _failedRequests.Enqueue($"{request.Method} {request.Url}: {request.Failure}");
    }

    public IReadOnlyList<string> Requests => [.. _requests];

    public IReadOnlyList<string> ConsoleErrors => [.. _consoleErrors];

    /// <summary>
    /// No console error, no uncaught exception, no failed request so far; except, when a test provokes refusals on
    /// purpose, up to <paramref name="allowedRefusals"/> lines in which the browser reports a 4xx answer.
    /// </summary>
    public void AssertNoErrors(int allowedRefusals = 0)
    {
        var refusals = _consoleErrors.Where(e => e.Contains("the server responded with a status of 4", StringComparison.Ordinal)).ToList();
        var errors = refusals.Count <= allowedRefusals ? _consoleErrors.Except(refusals).ToList() : [.. _consoleErrors];
        Assert.Multiple(() =>
        {
            Assert.That(errors, Is.Empty, "console errors");
            Assert.That(_pageErrors, Is.Empty, "uncaught page errors");
            Assert.That(_failedRequests, Is.Empty, "failed requests");
        });
    }

    /// <summary>Every request so far went to <paramref name="origin"/> (scheme, host and port), none anywhere else.</summary>
    public void AssertAllSameOrigin(Uri origin)
    {
        var requests = Requests;
        Assert.That(requests, Is.Not.Empty, "the page made no request at all");
        var elsewhere = requests.Where(url => !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || Uri.Compare(uri, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0).ToList();
        Assert.That(elsewhere, Is.Empty, $"requests that left {origin} (of {requests.Count})");
    }
}
