// The model explorer page for a 2-latent model (models/mnist-mlp-2d, a real `runtime serve` in Debian's chromium):
// the 2-D manifold appears, moving the pointer over the plane (or arrow keys on it) decodes live, the static grid is
// drawn beside it and its centre tiles equal the service's decoding of the lattice's z. Not for other latent sizes.
using Microsoft.Playwright;

namespace VaeOnnx.Tests.Runtime.AspNetCore.Ui;

[TestFixture]
public sealed class TwoLatentModelPageTests : ExplorerFixture
{
    protected override string ModelName => "mnist-mlp-2d";

    [Test]
    public async Task HoveringThePlaneDecodesLive()
    {
        var (page, recorder, _) = await OpenAsync();
        Assert.That(await page.IsVisibleAsync("#manifold"), Is.True, "a 2-latent model shows the manifold");
        var box = await BoxAsync(page, "#plane");

        async Task<byte[]> HoverAsync(float fx, float fy)
        {
            int frames = await FramesAsync(page, "plane-decoded");
            await page.Mouse.MoveAsync(box.X + box.Width * fx, box.Y + box.Height * fy, new MouseMoveOptions { Steps = 5 });
            await WaitForNewFrameAsync(page, "plane-decoded", frames);
            return Red(await CanvasAsync(page, "plane-decoded"));
        }

        byte[] left = await HoverAsync(0.15f, 0.5f);
        string leftZ = await page.InnerTextAsync("#plane-z");
        byte[] right = await HoverAsync(0.85f, 0.2f);
        string rightZ = await page.InnerTextAsync("#plane-z");
        Assert.That(leftZ, Does.StartWith("z = (-2."), "the left of the plane is negative z1");
        Assert.That(rightZ, Does.StartWith("z = (2."), "the right of the plane is positive z1");
        Assert.That(MaxDifference(left, right), Is.GreaterThan(50), "two far-apart points decoded to the same image");

        int beforeKeys = await FramesAsync(page, "plane-decoded");
        await page.FocusAsync("#plane");
        await page.Keyboard.PressAsync("Shift+ArrowLeft");
        await WaitForNewFrameAsync(page, "plane-decoded", beforeKeys);
        Assert.That(await page.GetAttributeAsync("#plane", "aria-valuetext"), Is.Not.EqualTo(rightZ), "the arrow key did not move the point");

        await AttachScreenshotAsync(page, "ui-mnist-mlp-2d.png", "The 2-D manifold of models/mnist-mlp-2d");
        recorder.AssertNoErrors();
        recorder.AssertAllSameOrigin(Server.BaseAddress);
    }

    [Test]
    public async Task TheStaticGridDecodesTheLattice()
    {
        var (page, recorder, _) = await OpenAsync();
        byte[] grid = Red(await CanvasAsync(page, "manifold-grid"));
        const int n = 10, side = 28;
        Assert.That(grid, Has.Length.EqualTo(n * side * n * side));
        // Tile (row 0, column n-1) is z = (3, 3); tile (row n-1, column 0) is z = (-3, -3).
        byte[] Tile(int row, int column) => [.. Enumerable.Range(0, side * side).Select(i => grid[(row * side + i / side) * n * side + column * side + i % side])];
        Assert.That(MaxDifference(Tile(0, n - 1), await ReferenceDecodeAsync([3f, 3f])), Is.LessThanOrEqualTo(1));
        Assert.That(MaxDifference(Tile(n - 1, 0), await ReferenceDecodeAsync([-3f, -3f])), Is.LessThanOrEqualTo(1));
        recorder.AssertNoErrors();
    }
}
