// The page when the service goes away and comes back, on its own `runtime serve` (a copy of models/mnist-mlp-2d without
// its calibration.json, so it also shows the page of a model that has none): the live view says "disconnected" where
// the person looks and in the header, then recovers by itself once a server answers on the same port again, drawing
// the newest z without a click and leaving no stale message behind. Without a calibration the score says how to get
// one, in plain text (no literal backticks).
using Microsoft.Playwright;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Tests.Runtime.Host.Serving;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

[TestFixture]
public sealed class ServiceOutageTests : ExplorerFixture
{
    private readonly Lazy<string> _copy;

    public ServiceOutageTests() => _copy = new(CopyWithoutCalibration);

    protected override string ModelName => "mnist-mlp-2d";

    protected override string ServedFolder => _copy.Value;

    [OneTimeTearDown]
    public void DeleteCopy()
    {
        if (_copy.IsValueCreated) Directory.Delete(_copy.Value, recursive: true);
    }

    private string CopyWithoutCalibration()
    {
        string copy = Directory.CreateTempSubdirectory("vaeonnx-outage-").FullName;
        foreach (string file in Directory.GetFiles(ModelFolder))
        {
            if (Path.GetFileName(file) != VaeContract.CalibrationFileName) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        return copy;
    }

    [Test]
    public async Task WhenTheServiceStopsTheLiveViewSaysDisconnectedAndRecoversByItself()
    {
        var first = await ServerProcess.StartAsync(ServedFolder, "--max-concurrent", "2");
        int port = first.BaseAddress.Port;
        ServerProcess? second = null;
        try
        {
            var (page, _, _) = await OpenAsync(server: first.BaseAddress);
            Assert.That(await page.InnerTextAsync("#live-status"), Is.Empty);

            first.Dispose(); // the service stops while the page is open
            await SlideAsync(page, "#z1", "1.5"); // the person keeps moving a slider
            await page.WaitForFunctionAsync("() => document.getElementById('live-status').textContent.includes('Disconnected')");
            Assert.That(await InViewAsync(page, "#live-status"), Is.True, "the message is beside the live view, where the person looks");
            Assert.That(await page.IsVisibleAsync("#connection"), Is.True, "the header says so too");
            Assert.That(await page.EvaluateAsync<bool>("() => document.querySelector('.live').classList.contains('disconnected')"), Is.True, "the stale frame is marked");
            await AxeAsync(page, "service stopped: disconnected");
            await AttachScreenshotAsync(page, "ui-disconnected.png", "The live view while the service is down", fullPage: false);
            await SlideAsync(page, "#z2", "-1.25");

            int frames = await FramesAsync(page, "decoded");
            second = await ServerProcess.StartOnPortAsync(ServedFolder, port, "--max-concurrent", "2");
            await page.WaitForFunctionAsync("n => Number(document.getElementById('decoded').dataset.frames) > n && document.getElementById('decoded').dataset.busy === 'false'",
                frames, new PageWaitForFunctionOptions { Timeout = 30_000 });
            Assert.That(await page.InnerTextAsync("#live-status"), Is.Empty, "the outage message is gone without a click");
            Assert.That(await page.IsHiddenAsync("#connection"), Is.True);
            float[] z = await SliderZAsync(page);
            Assert.That(z, Is.EqualTo(new[] { 1.5f, -1.25f }), "the newest z, set during the outage");
            using var api = new HttpClient { BaseAddress = second.BaseAddress };
            Assert.That(MaxDifference(Red(await CanvasAsync(page, "decoded")), await DecodeAsync(api, z)), Is.Zero, "the view shows the newest z once back");
            await AxeAsync(page, "service back: recovered");
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }

    [Test]
    public async Task WithoutACalibrationTheScoreSaysHowToGetOneInPlainText()
    {
        var (page, recorder, _) = await OpenAsync();
        Assert.That(await page.InnerTextAsync("#card-list"), Does.Contain("none (the model folder has no calibration.json)"));
        await page.SetInputFilesAsync("#file-main", new FilePayload { Name = "digit.png", MimeType = "image/png", Buffer = MnistDigitPng(5) });
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"));
        string score = await page.InnerTextAsync("#score");
        Assert.That(score, Does.Contain("No calibrated threshold: run runtime calibrate on normal images to get one.").And.Contain("not flagged (no threshold)"));
        Assert.That(score, Does.Not.Contain("`"), "no literal backticks");
        Assert.That(await page.InnerTextAsync("#score code"), Is.EqualTo("runtime calibrate"));
        await AxeAsync(page, "score without calibration");
        recorder.AssertNoErrors();
    }

    private static Task SlideAsync(IPage page, string selector, string value) =>
        page.EvalOnSelectorAsync(selector, "(e, v) => { e.value = v; e.dispatchEvent(new Event('input', { bubbles: true })); }", value);

    private static async Task<byte[]> DecodeAsync(HttpClient api, float[] z)
    {
        using var response = await api.PostAsync("/v1/decode", new StringContent(
            $"{{\"z\": [[{string.Join(", ", z.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]]}}", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return VaeOnnx.Runtime.Core.Imaging.ImageFile.Decode(await response.Content.ReadAsByteArrayAsync()).Pixels;
    }
}
