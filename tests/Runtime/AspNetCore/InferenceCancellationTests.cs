// A running inference and the two ways a request can end early: the client disconnecting mid-run terminates the ONNX
// Runtime run (RunOptions.Terminate through the request's abort token), frees the slot long before the run would have
// ended, counts vaeonnx_inference_cancelled_total and logs no failure; a graceful shutdown (host StopAsync in process,
// SIGTERM to a real `runtime serve`) lets the running inference finish and answer 200. The model is a deep random MLP
// whose sample of Count images runs for a second or more here; "long before" is judged against that same run timed
// on VaeModel in the same test, never against a fixed number.
using System.Diagnostics;
using System.Net;
using System.Text;
using VaeOnnx.Runtime.Core;

using VaeOnnx.Tests.Runtime.AspNetCore.Metrics;

using VaeOnnx.Tests.Runtime.Host.Serving;

namespace VaeOnnx.Tests.Runtime.AspNetCore;

[TestFixture]
public sealed class InferenceCancellationTests
{
    private const int Count = VaeModel.MaxCount; // images per /v1/sample request: one long decoder run
    private string _folder = "";
    private TimeSpan _fullRun;

    [OneTimeSetUp]
    public void WriteSlowModel()
    {
        _folder = ServingTestModel.Write(ServingTestModel.NewTempFolder("slow-model"), hidden: 768, extraLayers: 24);
        using var model = VaeModel.Load(_folder);
        model.Sample(Count, seed: 1); // warm-up: the first run of a shape builds its run context
        var watch = Stopwatch.StartNew();
        model.Sample(Count, seed: 1);
        _fullRun = watch.Elapsed;
        TestContext.Out.WriteLine($"uncancelled sample of {Count} images: {_fullRun.TotalMilliseconds:0} ms");
    }

    [OneTimeTearDown]
    public void DeleteModel() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task ClientDisconnect_MidRun_TerminatesTheRun_FreesTheSlot_AndLogsNoFailure()
    {
        await using var app = await ServingApp.StartAsync(_folder, Options);

        using var cancel = new CancellationTokenSource();
        var abandoned = SampleAsync(app.Client, Count, cancel.Token);
        await Eventually.TrueAsync(() => app.Metrics.InferenceInFlight == 1, "the run started");
        var sinceDisconnect = Stopwatch.StartNew();
        cancel.Cancel();
        Assert.That(async () => await abandoned, Throws.InstanceOf<OperationCanceledException>());
        await Eventually.TrueAsync(() => app.Metrics.InferenceInFlight == 0, "the slot freed");
        var freedAfter = sinceDisconnect.Elapsed;
        TestContext.Out.WriteLine($"slot freed {freedAfter.TotalMilliseconds:0} ms after the disconnect; the whole run takes {_fullRun.TotalMilliseconds:0} ms");

        Assert.That(app.Metrics.InferenceCancelled, Is.EqualTo(1), "the run ended by cancellation");
        Assert.That(freedAfter, Is.LessThan(_fullRun / 2), "the run was terminated, not waited out");
        using (var next = await SampleAsync(app.Client, 1))
            Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the next request is served");

        var metrics = PrometheusTextReader.Parse(await app.Client.GetStringAsync("/metrics"));
        Assert.That(PrometheusTextReader.Value(metrics, "vaeonnx_inference_cancelled_total"), Is.EqualTo(1));
        Assert.That(PrometheusTextReader.Value(metrics, "vaeonnx_inference_failures_total"), Is.Zero);
        Assert.That(PrometheusTextReader.Value(metrics, "vaeonnx_model_faults_total"), Is.Zero);
        Assert.That(PrometheusTextReader.Value(metrics, "vaeonnx_unhandled_exceptions_total"), Is.Zero);
        Assert.That(app.Logs.Lines, Has.Some.Contains("POST /v1/sample -> 499"));
        Assert.That(app.Logs.Lines, Has.None.Contains("failed").And.None.Contains("-> 500"));
    }

    [Test]
    public async Task HostStop_WithARunInFlight_LetsItFinish_With200()
    {
        var app = await ServingApp.StartAsync(_folder, Options);
        try
        {
            var request = SampleAsync(app.Client, Count);
            await Eventually.TrueAsync(() => app.Metrics.InferenceInFlight == 1, "the run started");
            var stopping = app.App.StopAsync();

            using var response = await request;
            byte[] png = await response.Content.ReadAsByteArrayAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a whole PNG");
            Assert.That(app.Metrics.InferenceCancelled, Is.Zero);
            await stopping;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Test]
    public async Task Sigterm_WithARunInFlight_LetsItFinish_With200_AndExits0()
    {
        using var server = await ServerProcess.StartAsync(_folder, "--max-concurrent", "1", "--max-count", $"{Count}");
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        var request = SampleAsync(client, Count);
        await Eventually.TrueAsync(async () => PrometheusTextReader.Value(
            PrometheusTextReader.Parse(await client.GetStringAsync("/metrics")), "vaeonnx_inference_in_flight") == 1, "the run started");

        var exit = server.TerminateAsync(TimeSpan.FromSeconds(60));
        using var response = await request;
        byte[] png = await response.Content.ReadAsByteArrayAsync();
        int exitCode = await exit;
        TestContext.Out.WriteLine(string.Join("\n", server.LogTail));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentLength, Is.EqualTo(png.Length), "the whole body arrived");
        Assert.That(exitCode, Is.Zero);
        var log = server.LogTail.ToList();
        int shuttingDown = log.FindIndex(line => line.Contains("Application is shutting down", StringComparison.Ordinal));
        int answered = log.FindIndex(line => line.Contains("POST /v1/sample -> 200", StringComparison.Ordinal));
        Assert.That(shuttingDown, Is.Not.Negative, "the host logged its shutdown");
        Assert.That(answered, Is.GreaterThan(shuttingDown), "the answer came after the shutdown began");
        Assert.That(log, Has.Some.Contains("Model sessions disposed"));
    }

    private static void Options(VaeOnnx.Runtime.AspNetCore.VaeServingOptions o)
    {
        o.MaxConcurrentInference = 1;
        o.MaxCount = Count;
        o.RequestTimeout = TimeSpan.FromMinutes(2); // the run must end by cancellation or completion, never by timeout
    }

    private static Task<HttpResponseMessage> SampleAsync(HttpClient client, int count, CancellationToken cancellationToken = default) =>
        client.PostAsync("/v1/sample", new StringContent($$"""{"count": {{count}}, "seed": 3}""", Encoding.UTF8, "application/json"), cancellationToken);
}
