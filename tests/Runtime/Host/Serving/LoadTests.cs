// Load and fault scenarios against a REAL server process (`dotnet vaeonnx-runtime.dll serve`) on 127.0.0.1:
//   1. steady: 32 concurrent clients decoding and sampling — zero non-2xx, zero transport errors;
//   2. burst: waves of 120 simultaneous requests at a server bounded to 1 running + 4 queued — 429s, never a 5xx
//      or a crash (the main server's bursts run in its warm-up);
//   3. hostile mix: malformed, non-finite, oversized (by Content-Length and chunked), wrong-type and corrupt bodies
//      mixed with good traffic — every bad request gets its 4xx, every good one a 200;
//   4. disconnects: clients that abort mid-body, before the body, or while awaiting the answer — the in-flight gauge
//      returns to 0 and good traffic keeps being served;
// then the memory bound (RSS growth after warm-up under 50 MB); every request path repeated (score of 64 images, decode,
// sample, reconstruct, encode, score of a PNG, the page's assets, and uploads of the multi-frame families issue 23 found
// exhausting memory: a GIF of 20,000 frames, a TIFF of 2,000 pages, an animated WebP of 300 frames), where the peak RSS over the second half of the
// repetitions may exceed the peak over a warm-up and the first half by less than 24 MB; and a SIGTERM shutdown (exit
// 0, sessions disposed).
// The steady scenario lasts VAEONNX_LOAD_SECONDS (default 3 s: the CI run), the others at most 10 s of it;
// scripts/load-test.sh runs the full version (30 s) and prints the report.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using VaeOnnx.Runtime.Core.Imaging;

using VaeOnnx.Tests.Runtime.AspNetCore;

using VaeOnnx.Tests.Runtime.AspNetCore.Metrics;
using VaeOnnx.Tests.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Host.Serving;

[TestFixture]
[Category("Load")]
[NonParallelizable]
public sealed class LoadTests
{
    private const long RssGrowthBound = 50L << 20;
    private const int MaxBodyBytes = 64 * 1024;
    private const int Latent = 16;

    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("VAEONNX_LOAD_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 ? s : 3);

    // The fault scenarios prove behaviour, not stamina: they run at most 10 s so the full run stays near a minute.
    private static readonly TimeSpan FaultDuration = Duration < TimeSpan.FromSeconds(10) ? Duration : TimeSpan.FromSeconds(10);

    private string _folder = "";
    private ServerProcess _server = null!;
    private HttpClient _client = null!;
    private ServerProcess? _repeatServer;
    private HttpClient? _repeatClient;
    private long _rssAfterWarmUp;
    private readonly StringBuilder _report = new();

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        // An MNIST-shaped MLP VAE (784 -> 256 -> 16), random weights: real work per request, small files.
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("load"), channels: 1, height: 28, width: 28, latent: Latent, hidden: 256);
        _server = await ServerProcess.StartAsync(_folder,
            "--max-concurrent", "2", "--max-queued", "32", "--max-count", "64", "--max-batch", "64",
            "--max-body-bytes", MaxBodyBytes.ToString(CultureInfo.InvariantCulture), "--request-timeout", "60");
        _client = NewClient(_server.BaseAddress);
        Report($"server pid {_server.Pid} on {_server.BaseAddress}; steady {Duration.TotalSeconds:0} s, fault scenarios {FaultDuration.TotalSeconds:0} s each; {Environment.ProcessorCount} cores shared with the load generator");
        Report($"RSS at start: {Mb(_server.ResidentBytes())}");

        // Warm-up runs a short pass of every scenario's traffic, so JIT, pools and heap sizes reach their working set
        // and growth measured after it points at a leak rather than at first use.
        var warmUp = new LoadRecorder();
        var pass = TimeSpan.FromSeconds(Math.Min(1.5, Duration.TotalSeconds));
        await SteadyTrafficAsync(warmUp, pass);
        await BurstWaveAsync(_client, warmUp);
        await HostileTrafficAsync(warmUp, pass);
        await DisconnectTrafficAsync(warmUp, new LoadRecorder(), pass);
        await WaitForIdleAsync();
        warmUp.Stop();
        Report(warmUp.Summary("warm-up: a short pass of every scenario"));
        Assert.That(warmUp.Count(o => !o.IntendedBad && o.Status is not (200 or 429)), Is.Zero, "warm-up: good requests answer 200 (or 429 in the burst)");
        _rssAfterWarmUp = _server.ResidentBytes();
        Report($"RSS after warm-up ({warmUp.Outcomes.Count} requests of every scenario): {Mb(_rssAfterWarmUp)}");
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        _client?.Dispose();
        _server?.Dispose();
        _repeatClient?.Dispose();
        _repeatServer?.Dispose();
        if (Environment.GetEnvironmentVariable("VAEONNX_LOAD_SERVER_LOG") is { Length: > 0 } logPath && _server is not null)
            File.WriteAllLines(logPath, _server.LogTail);
        string report = _report.ToString();
        TestContext.Out.WriteLine(report);
        if (Environment.GetEnvironmentVariable("VAEONNX_LOAD_REPORT") is { Length: > 0 } path) File.WriteAllText(path, report);
        if (_folder.Length > 0) Directory.Delete(_folder, recursive: true);
    }

    [Test, Order(1)]
    public async Task Steady_32Clients_AllSucceed()
    {
        var recorder = new LoadRecorder();
        await SteadyTrafficAsync(recorder, Duration);
        recorder.Stop();
        Report(recorder.Summary("1. steady: 32 clients, decode (batch 4) and sample (count 8), PNG and JSON"));
        Report($"   RSS {Mb(_server.ResidentBytes())}");
        Assert.That(recorder.Outcomes, Is.Not.Empty);
        Assert.That(recorder.Count(o => o.Status != 200), Is.Zero, "every steady request answers 200 (no 5xx, no 429, no transport error)");
    }

    [Test, Order(2)]
    public async Task Burst_BeyondTheBound_Answers429_NeverFails()
    {
        // A second server with a tight bound, so that a burst exceeds it whatever the speed of this machine; the main
        // server's wider bound (sized for the 32 steady clients) met its bursts during the warm-up.
        using var tight = await ServerProcess.StartAsync(_folder, "--max-concurrent", "1", "--max-queued", "4", "--max-count", "64");
        using var client = NewClient(tight.BaseAddress);
        var recorder = new LoadRecorder();
        var clock = Stopwatch.StartNew();
        int waves = 0;
        do
        {
            waves++;
            await BurstWaveAsync(client, recorder);
        }
        while (clock.Elapsed < FaultDuration);
        recorder.Stop();
        Report(recorder.Summary($"2. burst: {waves} wave(s) of {BurstSize} simultaneous requests at a server bounded to 1 running + 4 queued"));
        Assert.That(recorder.Count(o => o.Status == 429), Is.GreaterThan(0), "requests past the bound are refused with 429");
        Assert.That(recorder.Count(o => o.Status is not (200 or 429)), Is.Zero, "nothing but 200 and 429 (no 5xx, no transport error)");
        Assert.That(tight.HasExited, Is.False, "the server survived the burst");
        Assert.That(await SendAsync(HttpMethod.Post, "/v1/decode", Json(LatentBody(new Random(9), 1)), "application/json", client), Is.EqualTo(200));
        Report($"   bursted server RSS {Mb(tight.ResidentBytes())}");
    }

    [Test, Order(3)]
    public async Task HostileMix_EveryBadRequestGets4xx_GoodOnesSucceed()
    {
        var recorder = new LoadRecorder();
        var cases = await HostileTrafficAsync(recorder, FaultDuration);
        recorder.Stop();
        Report(recorder.Summary("3. hostile mix: 16 clients, malformed/oversized/corrupt bodies among good ones"));
        foreach (var (kind, expected, _) in cases)
        {
            var outcomes = recorder.Outcomes.Where(o => o.Kind == $"{kind} (expect {expected})").ToList();
            Assert.That(outcomes.Where(o => o.Status != expected).Select(o => o.Status).Distinct(), Is.Empty, $"{kind}: every answer is {expected}");
        }
        Assert.That(recorder.Count(o => o.Status >= 500 || o.Status == 0), Is.Zero);
        await AssertStillServingAsync();
    }

    [Test, Order(4)]
    public async Task Disconnects_LeakNothing_AndGoodTrafficContinues()
    {
        var recorder = new LoadRecorder();
        var good = new LoadRecorder();
        await DisconnectTrafficAsync(recorder, good, FaultDuration);
        recorder.Stop();
        good.Stop();
        Report(recorder.Summary("4. disconnects: 8 raw-socket clients aborting (status 0 = aborted on purpose)"));
        Report(good.Summary("4. ...alongside: 4 clients with good decode requests"));

        var metrics = await WaitForIdleAsync();
        Report($"   after: in-flight {metrics["vaeonnx_inference_in_flight"]}, queued {metrics["vaeonnx_inference_queued"]}, client aborts counted {metrics["vaeonnx_http_client_aborts_total"]}, unhandled exceptions {metrics["vaeonnx_unhandled_exceptions_total"]}");
        Assert.That(good.Count(o => o.Status != 200), Is.Zero, "good requests alongside the aborts all answer 200");
        Assert.That(metrics["vaeonnx_unhandled_exceptions_total"], Is.Zero, "aborts are not unhandled exceptions");
        await AssertStillServingAsync();
    }

    [Test, Order(5)]
    public async Task Memory_StaysFlatAfterWarmUp()
    {
        await Task.Delay(500);
        long after = _server.ResidentBytes();
        long growth = after - _rssAfterWarmUp;
        Report($"RSS after all scenarios: {Mb(after)}; growth since warm-up {Mb(growth)} (bound {Mb(RssGrowthBound)})");
        Assert.That(growth, Is.LessThan(RssGrowthBound), "RSS growth after warm-up");
    }

    public sealed record RepeatedPath(string Name, int Requests, long BoundBytes)
    {
        public override string ToString() => Name;
    }

    // Every request path repeated on the warm server. Heavy scoring is the case of issue 12 (64 images, k = 256 in the
    // full run; k = 32 in CI, the same code path at an eighth of the decoder passes).
    private static readonly int ScoreSamples = Duration >= TimeSpan.FromSeconds(30) ? 256 : 32;

    public static IEnumerable<RepeatedPath> RepeatedPaths()
    {
        bool full = Duration >= TimeSpan.FromSeconds(30);
        // The heavy score needs about 48 requests to reach its plateau (measured: RSS 153 MB after 8, 226 MB after 48,
        // then 180-220 MB up to 192 with no trend), so in CI too the peak before is taken over 64.
        yield return new("score: 64 images as JSON", full ? 80 : 64, MemoryLevelBound);
        foreach (string name in new[] { "decode batch 64 -> JSON", "sample count 64 -> PNG", "reconstruct -> JSON", "encode", "score: one PNG", "page assets" })
            yield return new(name, full ? 400 : 100, MemoryLevelBound);
        // Issue 23: one 1 MiB 28 × 28 GIF of about 45,000 frames took the service from 266 to 684 MB.
        foreach (string name in new[] { "encode: GIF of 20000 frames", "encode: TIFF of 2000 pages", "encode: WebP of 300 frames" })
            yield return new(name, full ? 400 : 100, MemoryLevelBound);
    }

    /// <summary>RSS may grow by at most this much over the second half of a path's repetitions (issue 12 measured 155 MB).</summary>
    private const long MemoryLevelBound = 24L << 20;

    [TestCaseSource(nameof(RepeatedPaths)), Order(6)]
    public async Task Memory_LevelsOff_UnderRepetition(RepeatedPath path)
    {
        // A server of its own, with room for a 64-image JSON batch (about 350 KB), so the paths are measured apart from
        // the scenarios above and from their bodies.
        if (_repeatServer is null)
        {
            _repeatServer = await ServerProcess.StartAsync(_folder, "--max-concurrent", "2", "--max-batch", "64", "--max-count", "64",
                "--max-body-bytes", $"{512 * 1024}", "--request-timeout", "120");
            _repeatClient = NewClient(_repeatServer.BaseAddress);
            Report($"repetition server pid {_repeatServer.Pid}: RSS at start {Mb(_repeatServer.ResidentBytes())}");
        }
        var server = _repeatServer;
        var client = _repeatClient!;
        Func<Task<int>> send = RepeatedRequest(path.Name, client);
        Assert.That(await send(), Is.EqualTo(200), $"{path.Name} answers 200");
        int half = path.Requests / 2;
        var clock = Stopwatch.StartNew();
        // RSS is sampled after every request and the peaks compared: on a warm server it swings by ±20 MB as the GC
        // commits and releases (measured over 192 heavy scores: 180-226 MB with no trend), so two single readings can
        // differ by more than the bound by chance, while a leak raises the peak. The warm-up (as many requests as each
        // half) lets the pools and the GC's budget fill first: growth that stops.
        long firstHalf = 0, secondHalf = 0;
        for (int i = 0; i < 2 * half; i++)
        {
            Assert.That(await send(), Is.EqualTo(200));
            firstHalf = Math.Max(firstHalf, server.ResidentBytes());
        }
        await WaitForIdleAsync(client);
        firstHalf = Math.Max(firstHalf, server.ResidentBytes());
        for (int i = 0; i < half; i++)
        {
            Assert.That(await send(), Is.EqualTo(200));
            secondHalf = Math.Max(secondHalf, server.ResidentBytes());
        }
        await WaitForIdleAsync(client);
        secondHalf = Math.Max(secondHalf, server.ResidentBytes());
        var gc = PrometheusTextReader.Parse(await client.GetStringAsync("/metrics")).Where(s => s.Labels.Count == 0).ToDictionary(s => s.Name, s => s.Value);
        Report($"   repeated {path.Name}: {half} warm-up + {2 * half} measured requests in {clock.Elapsed.TotalSeconds:0.0} s; peak RSS over the warm-up and first half {Mb(firstHalf)}, over the second {Mb(secondHalf)} " +
            $"(growth {Mb(secondHalf - firstHalf)}, bound {Mb(path.BoundBytes)}); GC heap {Mb((long)gc["dotnet_gc_heap_bytes"])}, committed {Mb((long)gc["dotnet_gc_committed_bytes"])}");
        Assert.That(secondHalf - firstHalf, Is.LessThan(path.BoundBytes), $"{path.Name}: RSS levels off (peak over the second half of the requests against the peak before)");
    }

    private Func<Task<int>> RepeatedRequest(string name, HttpClient client)
    {
        var random = new Random(77);
        byte[] png = RandomPng(random, 28, 28);
        string images = JsonSerializer.Serialize(new
        {
            images = Enumerable.Range(0, 64).Select(_ => Enumerable.Range(0, 28 * 28).Select(_ => MathF.Round((float)random.NextDouble(), 3)).ToArray()).ToArray(),
            samples = ScoreSamples,
        });
        string latents = LatentBody(random, 64);
        using var picture = SampleImages.Picture(28, 28, grey: true, seed: 78);
        return name switch
        {
            "score: 64 images as JSON" => () => SendAsync(HttpMethod.Post, "/v1/score", Json(images), "application/json", client),
            "decode batch 64 -> JSON" => () => SendAsync(HttpMethod.Post, "/v1/decode", Json(latents), "application/json", client),
            "sample count 64 -> PNG" => () => SendAsync(HttpMethod.Post, "/v1/sample", Json("""{"count": 64, "seed": 5}"""), "image/png", client),
            "reconstruct -> JSON" => () => SendAsync(HttpMethod.Post, "/v1/reconstruct?mode=sample&seed=2", Png(png), "application/json", client),
            "encode" => () => SendAsync(HttpMethod.Post, "/v1/encode", Png(png), "application/json", client),
            "score: one PNG" => () => SendAsync(HttpMethod.Post, $"/v1/score?samples={ScoreSamples}", Png(png), "application/json", client),
            "encode: GIF of 20000 frames" => Upload(SampleImages.GifWithExtraFrames(picture, 20000), "image/gif", client),
            "encode: TIFF of 2000 pages" => Upload(SampleImages.MultiPageTiff([(28, 28), .. Enumerable.Range(0, 1999).Select(i => (1 + i % 5, 1 + i % 3))]), "image/tiff", client),
            "encode: WebP of 300 frames" => Upload(SampleImages.AnimatedWebp(28, 28, 300, grey: true), "image/webp", client),
            "page assets" => async () =>
            {
                foreach (string asset in new[] { "/", "/ui/app.js", "/ui/app.css" })
                {
                    int status = await SendAsync(HttpMethod.Get, asset, null, null, client);
                    if (status != 200) return status;
                }
                return 200;
            },
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such path"),
        };
    }

    // An upload that must be answered 200 with a note that only its first frame or page was read.
    private Func<Task<int>> Upload(byte[] file, string mediaType, HttpClient client)
    {
        Assert.That(file.Length, Is.LessThan(512 * 1024), "within the repetition server's body limit");
        return async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/encode") { Content = new ByteArrayContent(file) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode == HttpStatusCode.OK && !response.Headers.Contains("X-Image-Note"))
                Assert.Fail($"{mediaType}: no X-Image-Note header saying only the first frame was read");
            return (int)response.StatusCode;
        };
    }

    [Test, Order(7)]
    public async Task Sigterm_FinishesInFlightRequests_ThenDisposesTheSessions()
    {
        var inFlight = Enumerable.Range(0, 8).Select(_ =>
            SendAsync(HttpMethod.Post, "/v1/sample", Json("""{"count": 64}"""), "image/png")).ToList();
        await Task.Delay(20);
        int exitCode = await _server.TerminateAsync(TimeSpan.FromSeconds(40));
        var statuses = new List<int>();
        foreach (var request in inFlight)
        {
            try { statuses.Add(await request); }
            catch (HttpRequestException) { statuses.Add(0); } // sent after the listener closed
        }
        Report($"SIGTERM with {inFlight.Count} requests just sent: answers [{string.Join(", ", statuses)}] (0 = refused after the listener closed); exit code {exitCode}");
        Assert.That(exitCode, Is.Zero);
        Assert.That(statuses, Has.None.InRange(500, 599));
        Assert.That(_server.LogTail, Has.Some.Contains("Model sessions disposed"), string.Join("\n", _server.LogTail.TakeLast(20)));
    }

    // ----- traffic -----

    private const int BurstSize = 120;

    private Task SteadyTrafficAsync(LoadRecorder recorder, TimeSpan duration) =>
        RunClientsAsync(32, duration, (_, random) => SteadyRequestAsync(recorder, random));

    /// <summary>
    /// BurstSize requests that reach the server together: each sends its headers and all but the last body byte, and the
    /// last bytes go out only once every request is that far (or 2 s passed), so arrival hardly depends on how fast this
    /// process runs.
    /// </summary>
    private async Task BurstWaveAsync(HttpClient client, LoadRecorder recorder)
    {
        var gate = new BurstGate(BurstSize);
        byte[] body = Encoding.UTF8.GetBytes("""{"count": 64, "seed": 3}""");
        var wave = Enumerable.Range(0, BurstSize).Select(_ => recorder.RecordAsync("sample count 64 -> PNG (burst)", false,
            () => SendAsync(HttpMethod.Post, "/v1/sample", new GatedContent(body, gate), "image/png", client))).ToList();
        // Release after 2 s even if some are not armed yet: Kestrel rightly resets bodies that stall past its 5 s grace.
        await Task.WhenAny(gate.AllArmed, Task.Delay(TimeSpan.FromSeconds(2)));
        gate.Release();
        await Task.WhenAll(wave);
    }

    private async Task<List<(string Kind, int Expected, Func<Task<int>> Send)>> HostileTrafficAsync(LoadRecorder recorder, TimeSpan duration)
    {
        var cases = HostileCases();
        await RunClientsAsync(16, duration, async (_, random) =>
        {
            var (kind, expected, send) = cases[random.Next(cases.Count)];
            await recorder.RecordAsync($"{kind} (expect {expected})", expected != 200, send);
        });
        return cases;
    }

    private Task DisconnectTrafficAsync(LoadRecorder aborts, LoadRecorder good, TimeSpan duration)
    {
        var goodClients = RunClientsAsync(4, duration, (_, random) => good.RecordAsync("decode (good, alongside)", false,
            () => SendAsync(HttpMethod.Post, "/v1/decode", Json(LatentBody(random, 2)), "application/json")));
        var aborters = RunClientsAsync(8, duration, async (_, random) =>
        {
            int kind = random.Next(4);
            string name = kind switch { 0 => "abort mid-body", 1 => "abort before body", 2 => "abort awaiting answer", _ => "connect and close" };
            await aborts.RecordAsync(name, true, () => AbortingClientAsync(kind));
        });
        return Task.WhenAll(goodClients, aborters);
    }

    private Task SteadyRequestAsync(LoadRecorder recorder, Random random) => random.Next(4) switch
    {
        0 => recorder.RecordAsync("decode batch 4 -> JSON", false, () => SendAsync(HttpMethod.Post, "/v1/decode", Json(LatentBody(random, 4)), "application/json")),
        1 => recorder.RecordAsync("decode batch 4 -> PNG", false, () => SendAsync(HttpMethod.Post, "/v1/decode", Json(LatentBody(random, 4)), "image/png")),
        2 => recorder.RecordAsync("sample count 8 -> PNG", false, () => SendAsync(HttpMethod.Post, "/v1/sample", Json($$"""{"count": 8, "seed": {{random.Next()}}}"""), "image/png")),
        _ => recorder.RecordAsync("sample count 8 -> JSON", false, () => SendAsync(HttpMethod.Post, "/v1/sample", Json($$"""{"count": 8, "seed": {{random.Next()}}}"""), "application/json")),
    };

    private List<(string Kind, int Expected, Func<Task<int>> Send)> HostileCases()
    {
        var random = new Random(5);
        byte[] goodPng = RandomPng(random, 28, 28);
        byte[] corruptPng = (byte[])goodPng.Clone();
        corruptPng[goodPng.Length / 2] ^= 0xFF;
        byte[] wrongSizePng = RandomPng(random, 32, 32);
        string oversized = "{\"z\": [[" + string.Join(",", Enumerable.Repeat("0.125", MaxBodyBytes / 5)) + "]]}";
        return
        [
            ("good decode", 200, () => SendAsync(HttpMethod.Post, "/v1/decode", Json(LatentBody(new Random(1), 2)), "application/json")),
            ("good reconstruct", 200, () => SendAsync(HttpMethod.Post, "/v1/reconstruct", Png(goodPng), "image/png")),
            ("truncated JSON", 400, () => SendAsync(HttpMethod.Post, "/v1/decode", Json("""{"z": [[0.1, 0.2"""), null)),
            ("NaN literal", 400, () => SendAsync(HttpMethod.Post, "/v1/decode", Json("{\"z\": [[NaN" + string.Concat(Enumerable.Repeat(", 0", Latent - 1)) + "]]}"), null)),
            ("wrong z length", 400, () => SendAsync(HttpMethod.Post, "/v1/decode", Json("""{"z": [[1, 2, 3]]}"""), null)),
            ("oversized, Content-Length", 413, () => SendAsync(HttpMethod.Post, "/v1/decode", Json(oversized), null)),
            ("oversized, chunked", 413, () => SendAsync(HttpMethod.Post, "/v1/decode", Chunked(Encoding.UTF8.GetBytes(oversized), "application/json"), null)),
            ("text/plain body", 415, () => SendAsync(HttpMethod.Post, "/v1/decode", new StringContent("""{"z": [[1]]}""", Encoding.UTF8, "text/plain"), null)),
            ("empty body", 400, () => SendAsync(HttpMethod.Post, "/v1/decode", Json(""), null)),
            ("corrupt PNG", 400, () => SendAsync(HttpMethod.Post, "/v1/reconstruct", Png(corruptPng), null)),
            ("wrong-size PNG", 400, () => SendAsync(HttpMethod.Post, "/v1/encode", Png(wrongSizePng), null)),
            ("unknown path", 404, () => SendAsync(HttpMethod.Get, "/v1/secrets", null, null)),
        ];
    }

    /// <summary>0: headers + half the body, then close; 1: headers only, then close; 2: a whole slow request, then close before the answer; 3: connect and close.</summary>
    private async Task<int> AbortingClientAsync(int kind)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _server.BaseAddress.Port);
        byte[] body = Encoding.UTF8.GetBytes(kind == 2 ? """{"count": 64}""" : LatentBody(new Random(kind), 4));
        string path = kind == 2 ? "/v1/sample" : "/v1/decode";
        byte[] head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: image/png\r\nContent-Length: {body.Length}\r\n\r\n");
        switch (kind)
        {
            case 0:
                await socket.SendAsync(head);
                await socket.SendAsync(body.AsMemory(0, body.Length / 2));
                await Task.Delay(5);
                break;
            case 1:
                await socket.SendAsync(head);
                break;
            case 2:
                await socket.SendAsync(head);
                await socket.SendAsync(body);
                await Task.Delay(1);
                break;
        }
        socket.LingerState = new LingerOption(true, 0); // close with RST, as a crashed client would
        socket.Close();
        return 0;
    }

    private async Task<int> SendAsync(HttpMethod method, string path, HttpContent? content, string? accept, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (accept is not null) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await (client ?? _client).SendAsync(request);
        await response.Content.ReadAsByteArrayAsync(); // the whole answer, as a real client would
        return (int)response.StatusCode;
    }

    private static HttpClient NewClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static async Task RunClientsAsync(int clients, TimeSpan duration, Func<int, Random, Task> oneRequest)
    {
        var deadline = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(1000 + client);
            while (deadline.Elapsed < duration) await oneRequest(client, random);
        })));
    }

    private async Task AssertStillServingAsync()
    {
        Assert.That(_server.HasExited, Is.False, "the server process is alive");
        Assert.That(await SendAsync(HttpMethod.Get, "/readyz", null, null), Is.EqualTo(200));
        Assert.That(await SendAsync(HttpMethod.Post, "/v1/decode", Json(LatentBody(new Random(9), 1)), "application/json"), Is.EqualTo(200));
    }

    /// <summary>Polls /metrics until no inference runs or waits (aborted work must drain), and returns the unlabelled gauges.</summary>
    private async Task<Dictionary<string, double>> WaitForIdleAsync(HttpClient? client = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string text = await (client ?? _client).GetStringAsync("/metrics");
            var values = PrometheusTextReader.Parse(text).Where(s => s.Labels.Count == 0).ToDictionary(s => s.Name, s => s.Value);
            if (values["vaeonnx_inference_in_flight"] == 0 && values["vaeonnx_inference_queued"] == 0) return values;
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
                Assert.Fail($"in-flight {values["vaeonnx_inference_in_flight"]} / queued {values["vaeonnx_inference_queued"]} did not return to 0 within 20 s");
            await Task.Delay(50);
        }
    }

    private static string LatentBody(Random random, int count) => JsonSerializer.Serialize(new
    {
        z = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Latent).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray()).ToArray(),
    });

    private static byte[] RandomPng(Random random, int width, int height)
    {
        var pixels = new byte[width * height];
        random.NextBytes(pixels);
        return VaeOnnx.Runtime.Core.Imaging.ImageFile.EncodePng(new PixelImage(width, height, 1, pixels));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Png(byte[] png)
    {
        var content = new ByteArrayContent(png);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return content;
    }

    private static StreamContent Chunked(byte[] body, string contentType)
    {
        var content = new StreamContent(new NonSeekableStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content; // no Content-Length: HttpClient sends it chunked
    }

    private void Report(string line)
    {
        _report.AppendLine(line.TrimEnd());
        TestContext.Progress.WriteLine(line.TrimEnd());
    }

    private static string Mb(long bytes) => $"{bytes / 1048576.0:0.0} MB";

    private sealed class BurstGate(int size)
    {
        private readonly TaskCompletionSource _allArmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public Task AllArmed => _allArmed.Task;

        public Task Released => _released.Task;

        public void Arm()
        {
            if (Interlocked.Increment(ref _armed) == size) _allArmed.TrySetResult();
        }

        public void Release() => _released.TrySetResult();
    }

    /// <summary>A body with a Content-Length that holds back its last byte until the burst gate opens.</summary>
    private sealed class GatedContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly BurstGate _gate;

        public GatedContent(byte[] body, BurstGate gate)
        {
            _body = body;
            _gate = gate;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(_body.AsMemory(0, _body.Length - 1));
            await stream.FlushAsync();
            _gate.Arm();
            await _gate.Released;
            await stream.WriteAsync(_body.AsMemory(_body.Length - 1));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
