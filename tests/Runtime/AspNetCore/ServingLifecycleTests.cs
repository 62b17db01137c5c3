// The service under pressure and over its lifetime, made deterministic with a gated model: the concurrency bound
// answers 429 + Retry-After instead of queueing, timeouts answer 503/504, client disconnects free their slot,
// unexpected errors become 500 problems that leak nothing, /readyz follows the background load, and shutdown frees
// the native sessions only after the last running inference returned.
using System.Net;
using System.Text;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.AspNetCore;

namespace VaeOnnx.Tests.Runtime.AspNetCore;

[TestFixture]
public sealed class ServingLifecycleTests
{
    private string _folder = "";

    [OneTimeSetUp]
    public void WriteModel() => _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("serving-lifecycle"));

    [OneTimeTearDown]
    public void DeleteModel() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task BeyondTheConcurrencyBound_Answers429WithRetryAfter_AndRecovers()
    {
        GatedInference? gated = null;
        await using var app = await ServingApp.StartAsync(_folder, o => { o.MaxConcurrentInference = 1; o.MaxQueuedInference = 0; o.RetryAfterSeconds = 2; },
            wrap: inner => gated = new GatedInference(inner));

        var first = DecodeAsync(app.Client);
        await gated!.WaitUntilEnteredAsync();
        using (var rejected = await DecodeAsync(app.Client))
        {
            string body = await rejected.Content.ReadAsStringAsync();
            Assert.That(rejected.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(rejected.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(2)));
            ProblemAssert.IsProblem(rejected, body, 429, "at most 1 inference(s) at once");
        }
        Assert.That(app.Metrics.InferenceInFlight, Is.EqualTo(1));

        gated.Open();
        using (var accepted = await first) Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var again = await DecodeAsync(app.Client)) Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(app.Metrics.Rejected, Is.EqualTo(1));
        Assert.That(app.Metrics.InferenceInFlight, Is.Zero);
    }

    [Test]
    public async Task PastTheRequestTimeout_QueuedAnswers503_RunningAnswers504_SlotHeldUntilTheModelReturns()
    {
        GatedInference? gated = null;
        await using var app = await ServingApp.StartAsync(_folder,
            o => { o.MaxConcurrentInference = 1; o.MaxQueuedInference = 1; o.RequestTimeout = TimeSpan.FromMilliseconds(400); },
            wrap: inner => gated = new GatedInference(inner));

        var running = DecodeAsync(app.Client);
        await gated!.WaitUntilEnteredAsync();
        var queued = DecodeAsync(app.Client);

        using (var timedOut = await running)
            ProblemAssert.IsProblem(timedOut, await timedOut.Content.ReadAsStringAsync(), 504, "ran past the request timeout (0.4 s)");
        using (var starved = await queued)
        {
            ProblemAssert.IsProblem(starved, await starved.Content.ReadAsStringAsync(), 503, "waited the whole request timeout (0.4 s)");
            Assert.That(starved.Headers.RetryAfter, Is.Not.Null);
        }
        Assert.That(app.Metrics.InferenceInFlight, Is.EqualTo(1), "the abandoned model call still holds its slot");

        gated.Open();
        await Eventually.TrueAsync(() => app.Metrics.InferenceInFlight == 0, "in-flight gauge back to 0");
        using var after = await DecodeAsync(app.Client);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ClientDisconnect_WhileInferring_IsRecorded_AndFreesTheSlot()
    {
        GatedInference? gated = null;
        await using var app = await ServingApp.StartAsync(_folder, o => { o.MaxConcurrentInference = 1; o.MaxQueuedInference = 0; },
            wrap: inner => gated = new GatedInference(inner));

        using var cancel = new CancellationTokenSource();
        var abandoned = DecodeAsync(app.Client, cancel.Token);
        await gated!.WaitUntilEnteredAsync();
        cancel.Cancel();
        Assert.That(async () => await abandoned, Throws.InstanceOf<OperationCanceledException>());
        await Eventually.TrueAsync(() => app.Metrics.Aborted == 1, "the abort is counted");

        gated.Open();
        await Eventually.TrueAsync(() => app.Metrics.InferenceInFlight == 0, "in-flight gauge back to 0");
        using var after = await DecodeAsync(app.Client);
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(app.Logs.Lines, Has.Some.Contains("POST /v1/decode -> 499"));
    }

    [Test]
    public async Task UnexpectedModelError_Answers500ProblemThatLeaksNothing_AndIsLogged()
    {
        GatedInference? gated = null;
        await using var app = await ServingApp.StartAsync(_folder, wrap: inner => gated = new GatedInference(inner)
        {
            Fault = new InvalidOperationException("secret-internal-detail in /srv/models/x"),
        });
        gated!.Open();

        using var response = await DecodeAsync(app.Client);
        string body = await response.Content.ReadAsStringAsync();
        TestContext.Out.WriteLine(body);
        ProblemAssert.IsProblem(response, body, 500, "logged with trace id");
        Assert.That(body, Does.Not.Contain("secret").And.Not.Contain("/srv/models"));
        Assert.That(app.Logs.Lines, Has.Some.Contains("Unhandled exception for POST /v1/decode").And.Some.Contains("InvalidOperationException"));
    }

    [Test]
    public async Task Readiness_FollowsTheBackgroundLoad()
    {
        using var release = new ManualResetEventSlim(false);
        await using var app = await ServingApp.StartAsync(_folder, loader: _ =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return new VaeModelInference(VaeModel.Load(_folder));
        }, waitUntilReady: false);

        using (var live = await app.Client.GetAsync("/healthz")) Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var notReady = await app.Client.GetAsync("/readyz"))
        {
            ProblemAssert.IsProblem(notReady, await notReady.Content.ReadAsStringAsync(), 503, "still loading");
            Assert.That(notReady.Headers.RetryAfter, Is.Not.Null);
        }
        using (var decode = await DecodeAsync(app.Client))
            ProblemAssert.IsProblem(decode, await decode.Content.ReadAsStringAsync(), 503, "still loading");

        release.Set();
        await app.Host.WhenReady.WaitAsync(TimeSpan.FromSeconds(30));
        using (var ready = await app.Client.GetAsync("/readyz")) Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using (var decode = await DecodeAsync(app.Client)) Assert.That(decode.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task FailedLoad_KeepsReadyzAt503_WithoutLeakingTheCause()
    {
        string missing = Path.Combine(_folder, "does-not-exist");
        await using var app = await ServingApp.StartAsync(missing, waitUntilReady: false);
        Assert.That(async () => await app.Host.WhenReady.WaitAsync(TimeSpan.FromSeconds(30)), Throws.Exception);

        using var response = await app.Client.GetAsync("/readyz");
        string body = await response.Content.ReadAsStringAsync();
        ProblemAssert.IsProblem(response, body, 503, "failed to load");
        Assert.That(body, Does.Not.Contain("does-not-exist"));
        Assert.That(app.Logs.Lines, Has.Some.Contains("The model failed to load"));
    }

    [Test]
    public async Task Shutdown_DisposesTheSessionsOnlyAfterTheRunningInferenceReturned()
    {
        GatedInference? gated = null;
        var app = await ServingApp.StartAsync(_folder, wrap: inner => gated = new GatedInference(inner));
        var request = DecodeAsync(app.Client);
        await gated!.WaitUntilEnteredAsync();

        var shutdown = Task.Run(async () => await app.DisposeAsync());
        await Task.Delay(300);
        Assert.That(gated.Events, Does.Not.Contain("disposed"), "sessions must not be freed under a running inference");
        Assert.That(shutdown.IsCompleted, Is.False);

        gated.Open();
        await shutdown.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(gated.Events.ToArray(), Is.EqualTo(new[] { "decode returned", "disposed" }));
        Assert.That(app.Logs.Lines, Has.Some.Contains("Model sessions disposed"));
        Assert.That(app.Host.State, Is.EqualTo(ModelState.Stopped));
        try { (await request).Dispose(); } catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException) { }
    }

    private static Task<HttpResponseMessage> DecodeAsync(HttpClient client, CancellationToken cancellationToken = default) =>
        client.PostAsync("/v1/decode", new StringContent("""{"z": [[0.1, -0.2, 0.3, 0.4]]}""", Encoding.UTF8, "application/json"), cancellationToken);
}
