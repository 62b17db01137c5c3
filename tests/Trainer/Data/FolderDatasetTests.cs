// The image-folder dataset: labels from sub-folders, the train/test split rules, resizing to one size and the channel
// rules, checked on PNG files generated from the synthetic shapes (written by the runtime's PNG encoder); EXIF
// orientation and multi-frame files as the runtime's admission step reads them.
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Processing;
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Tests.Trainer.Data;

public sealed class FolderDatasetTests
{
    [Test]
    public void SubFoldersAreLabelsAndEveryTenthImageIsHeldOut()
    {
        using var folder = new TemporaryFolder();
        ImageDataset shapes = SyntheticShapes.Generate(25, 1, 20, 20, seed: 9);
        WriteShapes(folder.Path, shapes, colour: _ => false);

        DatasetSplits splits = FolderDataset.Load(folder.Path, channels: null, height: null, width: null);

        Assert.That(splits.Train.LabelNames, Is.EqualTo(new[] { "bar", "disc", "square" }));
        Assert.That(splits.Train.Count + splits.Test.Count, Is.EqualTo(25));
        Assert.That(splits.Test.Count, Is.EqualTo(2), "the 10th and 20th of 25 files in path order");
        Assert.That((splits.Train.Channels, splits.Train.Height, splits.Train.Width), Is.EqualTo((1, 20, 20)));
        // Same size and grey: pixels survive the 8-bit PNG round trip to within half a grey level.
        List<string> files = Directory.EnumerateFiles(folder.Path, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        string firstFile = files[0];
        int originalIndex = int.Parse(Path.GetFileNameWithoutExtension(firstFile));
        float maxDifference = 0;
        for (int i = 0; i < shapes.ImageSize; i++)
        {
            maxDifference = Math.Max(maxDifference, Math.Abs(splits.Train.Image(0)[i] - shapes.Image(originalIndex)[i]));
        }
        TestContext.Out.WriteLine($"max |diff| after the PNG round trip = {maxDifference:E2} (tolerance 0.5/255)");
        Assert.That(maxDifference, Is.LessThanOrEqualTo(0.5f / 255 + 1e-6f));
        Assert.That(splits.Train.LabelNames[splits.Train.Labels[0]], Is.EqualTo(shapes.LabelNames[shapes.Labels[originalIndex]]));
    }

    [Test]
    public void MixedSizesAndColoursBecomeOneShape()
    {
        using var folder = new TemporaryFolder();
        // Colour 16x16 images and grey 24x20 ones (file names differ by prefix), and one odd grey image below.
        WriteShapes(folder.Path, SyntheticShapes.Generate(12, 3, 16, 16, seed: 4), colour: i => i % 3 == 0, prefix: "a");
        WriteShapes(folder.Path, SyntheticShapes.Generate(12, 1, 24, 20, seed: 5), colour: _ => false, prefix: "b");
        // One odd-sized grey image directly in the root: label "(none)", resized.
        ImageFile.WritePng(ImageConversion.FromPlanar(new float[9 * 13], 1, 9, 13), Path.Combine(folder.Path, "odd.png"));

        DatasetSplits splits = FolderDataset.Load(folder.Path, channels: null, height: 12, width: 10);
        Assert.That((splits.Train.Channels, splits.Train.Height, splits.Train.Width), Is.EqualTo((3, 12, 10)), "colour present, so 3 channels");
        Assert.That(splits.Train.LabelNames, Does.Contain(FolderDataset.NoLabel));

        DatasetSplits grey = FolderDataset.Load(folder.Path, channels: 1, height: 8, width: 8);
        Assert.That((grey.Train.Channels, grey.Test.Height), Is.EqualTo((1, 8)));
        Assert.That(grey.Train.Pixels, Is.All.InRange(0f, 1f));
    }

    // Issue 23: the folder dataset reads images through the runtime's one admission step, so a photo's EXIF orientation
    // is applied (as the CLI and the service apply it) and a GIF of thousands of frames is its first frame, with a note.
    [Test]
    public void OrientedPhotosAreTurnedAndMultiFrameFilesAreReadAsTheirFirstFrameWithANote()
    {
        using var folder = new TemporaryFolder();
        using var upright = SampleImages.Picture(5, 6, grey: true, seed: 31);
        File.WriteAllBytes(Path.Combine(folder.Path, "a-upright.png"), SampleImages.Encode(upright, new PngEncoder { ColorType = PngColorType.Grayscale }));
        using var stored = upright.Clone(x => x.Rotate(RotateMode.Rotate270));
        stored.Metadata.ExifProfile = new ExifProfile();
        stored.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        File.WriteAllBytes(Path.Combine(folder.Path, "b-tagged.png"), SampleImages.Encode(stored, new PngEncoder { ColorType = PngColorType.Grayscale }));
        using var other = SampleImages.Picture(5, 6, grey: true, seed: 32);
        File.WriteAllBytes(Path.Combine(folder.Path, "c-frames.gif"), SampleImages.GifWithExtraFrames(other, 4000));

        DecodedImage straight = ImageSource.Read(Path.Combine(folder.Path, "a-upright.png"));
        DecodedImage turned = ImageSource.Read(Path.Combine(folder.Path, "b-tagged.png"));
        DatasetSplits splits = FolderDataset.Load(folder.Path, channels: null, height: null, width: null);

        Assert.That((turned.Height, turned.Width), Is.EqualTo((6, 5)));
        Assert.That(turned.Samples, Is.EqualTo(straight.Samples), "the tagged photo reads as the upright picture");
        Assert.That((splits.Train.Height, splits.Train.Width), Is.EqualTo((6, 5)));
        Assert.That(splits.Notes, Has.Some.Contains("c-frames.gif holds 4001 frames; only the first is read."));
    }

    [Test]
    public void TrainAndTestSubFoldersAreUsedAsGiven()
    {
        using var folder = new TemporaryFolder();
        WriteShapes(Path.Combine(folder.Path, "train"), SyntheticShapes.Generate(7, 1, 10, 10, seed: 1), _ => false);
        WriteShapes(Path.Combine(folder.Path, "test"), SyntheticShapes.Generate(3, 1, 10, 10, seed: 2), _ => false);
        DatasetSplits splits = FolderDataset.Load(folder.Path, null, null, null);
        Assert.That((splits.Train.Count, splits.Test.Count), Is.EqualTo((7, 3)));
    }

    [Test]
    public void ACorruptPngIsNamed()
    {
        using var folder = new TemporaryFolder();
        WriteShapes(folder.Path, SyntheticShapes.Generate(3, 1, 10, 10, seed: 1), _ => false);
        string bad = Path.Combine(folder.Path, "disc", "broken.png");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        File.WriteAllBytes(bad, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var e = Assert.Throws<DatasetException>(() => FolderDataset.Load(folder.Path, null, null, null));
        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.Message, Does.Contain(bad));
    }

    [Test]
    public void AnEmptyOrMissingFolderIsExplained()
    {
        using var folder = new TemporaryFolder();
        Assert.That(Assert.Throws<DatasetException>(() => FolderDataset.Load(folder.Path, null, null, null))!.Message, Does.Contain("holds 0 images"));
        Assert.That(Assert.Throws<DatasetException>(() => FolderDataset.Load(folder.File("nope"), null, null, null))!.Message, Does.Contain("does not exist"));
    }

    // Writes image i as <folder>/<label name>/<prefix><i:000>.png, grey or (when colour(i)) RGB.
    private static void WriteShapes(string folder, ImageDataset shapes, Func<int, bool> colour, string prefix = "")
    {
        for (int i = 0; i < shapes.Count; i++)
        {
            string classFolder = Path.Combine(folder, shapes.LabelNames[shapes.Labels[i]]);
            Directory.CreateDirectory(classFolder);
            int channels = shapes.Channels == 3 && colour(i) ? 3 : 1;
            float[] planar = shapes.Image(i)[..(channels * shapes.Height * shapes.Width)].ToArray();
            PixelImage image = ImageConversion.FromPlanar(planar, channels, shapes.Height, shapes.Width);
            ImageFile.WritePng(image, Path.Combine(classFolder, $"{prefix}{i:000}.png"));
        }
    }
}
