// ImageGrid layout: dimensions from columns, padding and scale, tiles landing where expected, and labels and
// titles leaving ink exactly in their bands.
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Imaging;

public class ImageGridTests
{
    [Test]
    public void GridDimensionsFollowColumnsPaddingAndScale()
    {
        const int n = 10, h = 4, w = 3;
        float[] batch = new float[n * h * w];
        for (int i = 0; i < n; i++)
        {
            batch.AsSpan(i * h * w, h * w).Fill(i / 9f);
        }
        var options = new ImageGridOptions { Columns = 4, Padding = 1, Scale = 2, Background = Rgb.Grey(7) };
        PixelImage grid = ImageGrid.FromPlanarBatch(batch, n, 1, h, w, options);
        // 4 columns, 3 rows: width = pad + 4 * (6 + pad), height = pad + 3 * (8 + pad).
        Assert.That((grid.Width, grid.Height, grid.Channels), Is.EqualTo((1 + 4 * 7, 1 + 3 * 9, 1)));
        for (int i = 0; i < n; i++)
        {
            int x0 = 1 + i % 4 * 7, y0 = 1 + i / 4 * 9;
            byte expected = ImageConversion.ToByte(i / 9f);
            Assert.That(grid.GetSample(x0, y0, 0), Is.EqualTo(expected), $"tile {i} top-left");
            Assert.That(grid.GetSample(x0 + 5, y0 + 7, 0), Is.EqualTo(expected), $"tile {i} bottom-right");
            Assert.That(grid.GetSample(x0 + 6, y0, 0), Is.EqualTo(7), $"padding right of tile {i}");
        }
        Assert.That(grid.GetSample(grid.Width - 2, grid.Height - 2, 0), Is.EqualTo(7), "the empty cells of the last row stay background");
    }

    [Test]
    public void LabelsAndTitleInkTheirBandsOnly()
    {
        var tiles = Enumerable.Range(0, 6).Select(_ => new PixelImage(8, 8, 1, Enumerable.Repeat((byte)255, 64).ToArray())).ToArray();
        var plain = ImageGrid.FromImages(tiles, new ImageGridOptions { Columns = 3, Padding = 2 });
        var labelled = ImageGrid.FromImages(tiles, new ImageGridOptions
        {
            Columns = 3,
            Padding = 2,
            TileLabels = ["1", "2", "3", "4", "5", "6"],
            RowLabels = ["real", "recon"],
            Title = "T",
            Background = Rgb.Grey(0),
            TextColor = new Rgb(255, 0, 0),
        });
        Assert.That(labelled.Width, Is.GreaterThan(plain.Width), "row labels add a band on the left");
        Assert.That(labelled.Height, Is.GreaterThan(plain.Height), "tile labels and the title add bands");
        Assert.That(labelled.Channels, Is.EqualTo(3), "coloured text makes an RGB grid");
        int red = 0;
        for (int y = 0; y < labelled.Height; y++)
        {
            for (int x = 0; x < labelled.Width; x++)
            {
                if (labelled.GetSample(x, y, 0) == 255 && labelled.GetSample(x, y, 1) == 0)
                {
                    red++;
                }
            }
        }
        // Text ink: title T (9 px), digits and the two row labels, all in red; the white tiles stay white.
        Assert.That(red, Is.GreaterThan(9 + 6 * 8));
        Assert.That(labelled.GetSample(0, 0, 0), Is.EqualTo(0));
        Assert.That(CountInk(labelled, 0, 0, labelled.Width, 2 + 7, 0), Is.EqualTo(BitmapFontTests.InkCount("T")), "the title band holds exactly the title's pixels");
    }

    [Test]
    public void RejectsBadOptions()
    {
        var tile = PixelImage.Create(2, 2, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.FromImages([tile], new ImageGridOptions { Columns = 0 }));
        Assert.Throws<ArgumentException>(() => ImageGrid.FromImages([tile], new ImageGridOptions { TileLabels = ["a", "b"] }));
        Assert.Throws<ArgumentException>(() => ImageGrid.FromImages([]));
        var error = Assert.Throws<ArgumentException>(() => ImageGrid.FromPlanarBatch(new float[7], 2, 1, 2, 2));
        Assert.That(error!.Message, Does.Contain("7 values").And.Contain("needs 8"));
    }

    internal static int CountInk(PixelImage image, int x0, int y0, int x1, int y1, int channel)
    {
        int count = 0;
        for (int y = y0; y < y1; y++)
        {
            for (int x = x0; x < x1; x++)
            {
                if (image.GetSample(x, y, channel) != 0)
                {
                    count++;
                }
            }
        }
        return count;
    }
}
