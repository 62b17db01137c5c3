// The model explorer page for a 2-latent model (models/mnist-mlp-2d, a real `runtime serve` in Debian's chromium): the
// latent map shows its 1000 test points in (z1, z2); a tap on a touch screen, a click or a drag on it sets z to the
// point under the finger or pointer (sliders and live view follow, and the image is the service's decoding of that z);
// the lattice beside it is the service's decoding of the map's corners; the examples are one Tab stop and one click
// runs an example through the model. Also the picture of the page in runtime/AspNetCore/README.md.
using System.Globalization;
using Microsoft.Playwright;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

[TestFixture]
public sealed class TwoLatentModelPageTests : ExplorerFixture
{
    protected override string ModelName => "mnist-mlp-2d";

    [Test]
    public async Task ATapOrADragOnTheMapSetsZThere()
    {
        var (page, recorder, _) = await OpenAsync(width: 412, height: 915, hasTouch: true);
        Assert.That(await page.GetAttributeAsync("#map-canvas", "data-plane"), Is.EqualTo("dims"), "a 2-latent model is drawn in (z1, z2)");
        Assert.That(await page.GetAttributeAsync("#map", "data-points"), Is.EqualTo("1000"));
        var box = await BoxAsync(page, "#map-canvas");

        int frames = await FramesAsync(page, "decoded");
        await page.Touchscreen.TapAsync(box.X + box.Width * 0.8f, box.Y + box.Width * 0.25f);
        await WaitForNewFrameAsync(page, "decoded", frames);
        double[] tapped = await CurrentZAsync(page);
        Assert.That(tapped[0], Is.GreaterThan(0.8f), "a tap right of the centre sets a positive z1");
        Assert.That(tapped[1], Is.GreaterThan(0.8f), "a tap above the centre sets a positive z2");
        Assert.That(tapped[0], Is.EqualTo(Coordinate(await page.GetAttributeAsync("#map-canvas", "data-x"))).Within(1e-9), "z is the map's point");
        Assert.That((await SliderZAsync(page))[0], Is.EqualTo(Math.Clamp(tapped[0], -3, 3)).Within(1e-6), "the sliders follow the map");
        Assert.That(MaxDifference(Red(await CanvasAsync(page, "decoded")), await ReferenceDecodeAsync(tapped)), Is.Zero);
        await AxeAsync(page, "mnist-mlp-2d at 412 px after a tap on the map");

        frames = await FramesAsync(page, "decoded");
        await page.Mouse.MoveAsync(box.X + box.Width * 0.3f, box.Y + box.Width * 0.5f);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width * 0.2f, box.Y + box.Width * 0.8f, new MouseMoveOptions { Steps = 6 });
        await page.Mouse.UpAsync();
        await WaitForNewFrameAsync(page, "decoded", frames);
        double[] dragged = await CurrentZAsync(page);
        Assert.That(dragged[0], Is.LessThan(-0.5f));
        Assert.That(dragged[1], Is.LessThan(-0.5f), "the drag ended below the centre");
        Assert.That(MaxDifference(Red(await CanvasAsync(page, "decoded")), await ReferenceDecodeAsync(dragged)), Is.Zero);

        int before = await FramesAsync(page, "decoded");
        await page.FocusAsync("#map-canvas");
        await page.Keyboard.PressAsync("Shift+ArrowRight");
        await WaitForNewFrameAsync(page, "decoded", before);
        Assert.That((await CurrentZAsync(page))[0], Is.EqualTo(dragged[0] + 0.5).Within(1e-9), "Shift+arrow moves z by 0.5 on the focused map");
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task TheLatticeIsTheServiceDecodingOfTheMapsView()
    {
        var (page, recorder, _) = await OpenAsync();
        byte[] grid = Red(await CanvasAsync(page, "manifold-grid"));
        const int n = 10, side = 28;
        Assert.That(grid, Has.Length.EqualTo(n * side * n * side));
        float range = float.Parse(await page.GetAttributeAsync("#manifold-grid", "data-range") ?? "", CultureInfo.InvariantCulture);
        Assert.That(range, Is.GreaterThanOrEqualTo(3f));
        // Tile (row 0, column n-1) is z = (range, range); tile (row n-1, column 0) is z = (-range, -range).
        byte[] Tile(int row, int column) => [.. Enumerable.Range(0, side * side).Select(i => grid[(row * side + i / side) * n * side + column * side + i % side])];
        Assert.That(MaxDifference(Tile(0, n - 1), await ReferenceDecodeAsync([range, range])), Is.Zero);
        Assert.That(MaxDifference(Tile(n - 1, 0), await ReferenceDecodeAsync([-range, -range])), Is.Zero);
        recorder.AssertNoErrors();
    }

    [Test]
    public async Task AnExampleIsOneClickFromItsReconstructionAndTheListIsOneTabStop()
    {
        var (page, recorder, _) = await OpenAsync();
        Assert.That(await page.Locator("#examples [role=option]").CountAsync(), Is.EqualTo(10));
        Assert.That(await page.Locator("#examples [tabindex='0']").CountAsync(), Is.EqualTo(1));
        await page.ClickAsync("#examples [role=option] >> nth=3");
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"), await page.InnerTextAsync("#yours-notice"));
        byte[] example = File.ReadAllBytes(Path.Combine(ModelFolder, "examples", "3.png"));
        Assert.That(Red(await CanvasAsync(page, "original")), Is.EqualTo(ImageFile.Decode(example).Pixels));
        Assert.That(MaxDifference(Red(await CanvasAsync(page, "reconstruction")), await ReferenceReconstructAsync(example)), Is.Zero);
        Assert.That(await page.InnerTextAsync("#score"), Does.Contain("Threshold: 275.79 nats"), "the shipped calibration of mnist-mlp-2d");
        Assert.That(await page.GetAttributeAsync("#map-canvas", "data-image-x"), Is.Not.Null, "the example is marked on the map");

        await page.FocusAsync("#examples [role=option] >> nth=3");
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.getElementById('yours-note').textContent.startsWith('4.png')");
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"));
        await AxeAsync(page, "example analysed");
        recorder.AssertNoErrors();
    }

    /// <summary>Also makes the picture in runtime/AspNetCore/README.md and the top-level README (ui-readme.png).</summary>
    [Test]
    public async Task AnExampleAndAnInterpolationPathAreMarkedOnTheMap()
    {
        var (page, recorder, _) = await OpenAsync(width: 1200, height: 1280);
        await page.ClickAsync("#examples [role=option] >> nth=7");
        Assert.That(await WaitForAnalysisAsync(page), Is.EqualTo("done"));
        Assert.That(await page.GetAttributeAsync("#map-canvas", "data-image-x"), Is.Not.Null, "the example's mean is marked");
        await page.SetInputFilesAsync("#file-a", new FilePayload { Name = "a.png", MimeType = "image/png", Buffer = File.ReadAllBytes(Path.Combine(ModelFolder, "examples", "0.png")) });
        await page.SetInputFilesAsync("#file-b", new FilePayload { Name = "b.png", MimeType = "image/png", Buffer = File.ReadAllBytes(Path.Combine(ModelFolder, "examples", "7.png")) });
        await page.ClickAsync("#interpolation-form button[type=submit]");
        await page.WaitForFunctionAsync("() => Number(document.getElementById('map-canvas').dataset.pathSteps) === 10");
        var box = await BoxAsync(page, "#map-canvas");
        int frames = await FramesAsync(page, "decoded");
        await page.Mouse.ClickAsync(box.X + box.Width * 0.62f, box.Y + box.Width * 0.36f);
        await WaitForNewFrameAsync(page, "decoded", frames);
        await page.EvaluateAsync("() => { document.activeElement.blur(); window.scrollTo(0, 0); }");
        await page.WaitForFunctionAsync("() => new Promise(resolve => requestAnimationFrame(() => resolve(true)))");
        string path = await AttachScreenshotAsync(page, "ui-readme.png", "The page of models/mnist-mlp-2d: the map with its test points, an example's place and an interpolation path", fullPage: false);
        TestContext.Out.WriteLine($"README picture: {path}");
        recorder.AssertNoErrors();
    }

    private static double Coordinate(string? text) => double.Parse(text ?? "nan", CultureInfo.InvariantCulture);
}
