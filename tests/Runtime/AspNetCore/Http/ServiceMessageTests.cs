// The service's answers to requests a person sends by hand: a UTF-8 byte-order mark before JSON is accepted (RFC 8259
// lets a parser ignore it), /v1/sample with no body samples with the defaults (every field is optional), HEAD /healthz
// and /readyz answer 200 like GET, and a body over the limit cites the same limit whether its size was declared
// (Content-Length) or found while reading a chunked body, below or above Kestrel's wire limit (twice ours), on a real
// `runtime serve` process (the in-memory TestServer enforces no wire limit).
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

using VaeOnnx.Tests.Runtime.Host.Serving;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Http;

[TestFixture]
public sealed class ServiceMessageTests
{
    private const int MaxBodyBytes = 16 * 1024;
    private string _folder = "";
    private ServingApp _app = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("serving-messages"));
        _app = await ServingApp.StartAsync(_folder, o => o.MaxBodyBytes = MaxBodyBytes);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [TestCase("/v1/decode", """{"z": [[0.1, -0.2, 0.3, 0.4]]}""")]
    [TestCase("/v1/sample", """{"count": 2, "seed": 5}""")]
    public async Task A_byte_order_mark_before_JSON_is_accepted(string path, string json)
    {
        using var plain = await PostJson(path, Encoding.UTF8.GetBytes(json));
        using var withMark = await PostJson(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)]);
        Assert.That(withMark.StatusCode, Is.EqualTo(HttpStatusCode.OK), await withMark.Content.ReadAsStringAsync());
        Assert.That(await withMark.Content.ReadAsByteArrayAsync(), Is.EqualTo(await plain.Content.ReadAsByteArrayAsync()), "the same answer as without the mark");
    }

    [TestCase(null)]
    [TestCase("application/json")]
    public async Task Sample_with_an_empty_body_uses_the_defaults(string? contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/sample") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await _app.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        using var json = JsonDocument.Parse(text);
        Assert.That(json.RootElement.GetProperty("count").GetInt32(), Is.EqualTo(1));
        Assert.That(json.RootElement.GetProperty("temperature").GetDouble(), Is.EqualTo(1));
        Assert.That(response.Headers.GetValues("X-Vae-Seed").Single(), Is.EqualTo(json.RootElement.GetProperty("seed").GetUInt64().ToString()));
    }

    [TestCase("/healthz")]
    [TestCase("/readyz")]
    public async Task Head_probes_answer_like_get(string path)
    {
        using var head = await _app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        using var get = await _app.Client.GetAsync(path);
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await head.Content.ReadAsByteArrayAsync(), Is.Empty, "HEAD has no body");
    }

    [Test]
    public async Task An_oversized_body_cites_one_limit_however_it_is_sent()
    {
        using var server = await ServerProcess.StartAsync(_folder, "--max-body-bytes", $"{MaxBodyBytes}");
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        // Just over the limit, and over Kestrel's wire limit (2 x MaxBodyBytes); each declared and chunked.
        foreach (int size in new[] { MaxBodyBytes + 1, 3 * MaxBodyBytes })
        {
            foreach (bool chunked in new[] { false, true })
            {
                byte[] body = Encoding.UTF8.GetBytes("{\"z\": [[" + new string(' ', size - 11) + "]]}");
                HttpContent content = chunked ? new StreamContent(new UnknownLengthStream(body)) : new ByteArrayContent(body);
                content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
                using var response = await client.PostAsync("/v1/decode", content);
                string text = await response.Content.ReadAsStringAsync();
                TestContext.Out.WriteLine($"{body.Length} bytes, {(chunked ? "chunked" : "Content-Length")}: {(int)response.StatusCode} {text}");
                ProblemAssert.IsProblem(response, text, 413, $"limit of {MaxBodyBytes} bytes");
                Assert.That(text, Does.Not.Contain($"{2 * MaxBodyBytes}"), "never the wire limit");
            }
        }
    }

    private async Task<HttpResponseMessage> PostJson(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        return await _app.Client.PostAsync(path, content);
    }

    /// <summary>A stream that cannot tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
