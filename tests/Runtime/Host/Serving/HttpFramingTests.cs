// Malformed HTTP framing from a raw socket against a REAL server process (`runtime serve`), where Kestrel's own
// parsing is in play: a bad or overflowing chunk size, a chunk without its CRLF, both Content-Length and chunked, a
// body that arrives too slowly, a 50 MB chunked upload (with Expect: 100-continue) and a declared one, a bad request
// line and a negative Content-Length. Each gets an answer with a 4xx status (a problem+json body when it reached the
// service) that closes the connection, and is counted as a client error; the one documented close without an answer
// is a client that sends half a body and closes its side, counted as a disconnect (499). Issue 23 found the framing
// errors reset with no answer and logged as 499, and the 50 MB upload sometimes answered only "100 Continue".
using System.Net.Sockets;
using System.Text;
using VaeOnnx.Tests.Runtime.AspNetCore;
using VaeOnnx.Tests.Runtime.AspNetCore.Metrics;

namespace VaeOnnx.Tests.Runtime.Host.Serving;

[TestFixture]
[NonParallelizable]
public sealed class HttpFramingTests
{
    private const int MaxBodyBytes = 64 * 1024;
    private const string Headers = "POST /v1/encode HTTP/1.1\r\nHost: test\r\nContent-Type: image/png\r\n";

    private string _folder = "";
    private ServerProcess _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("framing"));
        _server = await ServerProcess.StartAsync(_folder, "--max-body-bytes", $"{MaxBodyBytes}");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _server?.Dispose();
        if (_folder.Length > 0) Directory.Delete(_folder, recursive: true);
    }

    public static IEnumerable<TestCaseData> Malformed()
    {
        TestCaseData Case(string name, string request, int status) => new TestCaseData(request, status).SetName(name);
        yield return Case("a chunk size that is not hex", Headers + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n", 400);
        yield return Case("a chunk size that overflows", Headers + "Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n", 400);
        yield return Case("a chunk without its CRLF", Headers + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcXY\r\n0\r\n\r\n", 400);
        yield return Case("Content-Length and chunked", Headers + "Content-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400);
        yield return Case("a negative Content-Length", Headers + "Content-Length: -5\r\n\r\nabc", 400);
        yield return Case("a bad request line", "POST /v1/encode HTTP/1.1 extra\r\nHost: test\r\n\r\n", 400);
        yield return Case("a header without a colon", Headers + "Broken header\r\nContent-Length: 3\r\n\r\nabc", 400);
    }

    [TestCaseSource(nameof(Malformed))]
    public async Task A_malformed_request_gets_a_4xx_answer_that_closes_the_connection(string request, int status)
    {
        var before = await CountsAsync();

        string answer = await ExchangeAsync(Encoding.ASCII.GetBytes(request));

        TestContext.Out.WriteLine(answer.Length > 400 ? answer[..400] : answer);
        Assert.That(answer, Does.StartWith($"HTTP/1.1 {status} "));
        Assert.That(answer, Does.Contain("Connection: close").IgnoreCase);
        var after = await CountsAsync();
        Assert.That(after.Aborts, Is.EqualTo(before.Aborts), "not counted as a disconnect");
    }

    [Test]
    public async Task A_framing_error_in_the_body_is_a_problem_answer_counted_as_a_client_error()
    {
        var before = await CountsAsync();

        string answer = await ExchangeAsync(Encoding.ASCII.GetBytes(Headers + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n"));

        Assert.That(answer, Does.StartWith("HTTP/1.1 400 ").And.Contain("application/problem+json").And.Contain("framing is invalid"));
        var after = await CountsAsync();
        Assert.That(after.Status400, Is.EqualTo(before.Status400 + 1));
        Assert.That(after.Aborts, Is.EqualTo(before.Aborts));
        Assert.That(_server.LogTail, Has.Some.Contains("POST /v1/encode -> 400"));
    }

    [Test]
    public async Task A_body_that_arrives_too_slowly_gets_408()
    {
        // Kestrel's minimum body data rate (240 bytes/s after a 5 s grace period) ends it; the answer says why.
        string answer = await ExchangeAsync(Encoding.ASCII.GetBytes(Headers + "Content-Length: 1000\r\n\r\nabc"), TimeSpan.FromSeconds(20));

        Assert.That(answer, Does.StartWith("HTTP/1.1 408 ").And.Contain("arrived too slowly"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_50_MB_upload_gets_its_413_answer(bool chunked)
    {
        const int size = 50 << 20;
        var before = await CountsAsync();
        string head = chunked
            ? Headers + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n"
            : Headers + $"Content-Length: {size}\r\n\r\n";

        string answer = await ExchangeAsync(Encoding.ASCII.GetBytes(head), TimeSpan.FromSeconds(30), body: size, chunked: chunked);

        TestContext.Out.WriteLine(answer.Length > 300 ? answer[..300] : answer);
        Assert.That(answer, Does.Contain("HTTP/1.1 413 ").And.Contain("larger than this endpoint's limit"));
        var after = await CountsAsync();
        Assert.That(after.Aborts, Is.EqualTo(before.Aborts), "not counted as a disconnect");
    }

    [Test]
    public async Task Half_a_body_then_a_closed_connection_is_the_documented_close_counted_as_a_disconnect()
    {
        int Disconnects() => _server.LogTail.Count(l => l.Contains("POST /v1/encode -> 499", StringComparison.Ordinal));
        int disconnectsBefore = Disconnects();
        var before = await CountsAsync();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Headers + "Content-Length: 1000\r\n\r\nabc"));
            await Task.Delay(200);
            client.Client.LingerState = new LingerOption(true, 0); // a reset, as a client that goes away does
        }

        await Eventually.TrueAsync(() => Disconnects() == disconnectsBefore + 1, "the request is logged as a disconnect (499)");
        var after = await CountsAsync();
        Assert.That(after.Aborts, Is.EqualTo(before.Aborts + 1));
        Assert.That(after.Status400, Is.EqualTo(before.Status400), "not counted as a client error");
    }

    private sealed record Counts(double Aborts, double Status400);

    private async Task<Counts> CountsAsync()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        var samples = PrometheusTextReader.Parse(await http.GetStringAsync("/metrics"));
        double aborts = samples.Single(s => s.Name == "vaeonnx_http_client_aborts_total").Value;
        double bad = samples.Where(s => s.Name == "vaeonnx_http_errors_total" && s.Labels.TryGetValue("status", out var v) && v == "400").Sum(s => s.Value);
        return new Counts(aborts, bad);
    }

    // Sends the request (then `body` bytes, while reading) and returns everything the server sends until it closes.
    private async Task<string> ExchangeAsync(byte[] request, TimeSpan? timeout = null, long body = 0, bool chunked = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        var stream = client.GetStream();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        await stream.WriteAsync(request, deadline.Token);
        var sending = body > 0 ? SendBodyAsync(stream, body, chunked, deadline.Token) : Task.CompletedTask;
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            received.Write(Encoding.ASCII.GetBytes($"<{e.GetType().Name}>"));
        }
        try
        {
            await sending;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The server stopped reading the body: expected once it has answered.
        }
        return Encoding.ASCII.GetString(received.ToArray());
    }

    private static async Task SendBodyAsync(NetworkStream stream, long body, bool chunked, CancellationToken cancel)
    {
        var block = new byte[64 * 1024];
        byte[] prefix = Encoding.ASCII.GetBytes($"{block.Length:x}\r\n");
        for (long sent = 0; sent < body; sent += block.Length)
        {
            if (chunked) await stream.WriteAsync(prefix, cancel);
            await stream.WriteAsync(block, cancel);
            if (chunked) await stream.WriteAsync("\r\n"u8.ToArray(), cancel);
        }
        if (chunked) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancel);
    }
}
