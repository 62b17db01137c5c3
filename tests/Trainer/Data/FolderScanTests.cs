// Folder datasets and links (issue 12): a link to . or .. must not multiply the data or walk out of the dataset,
// loops end, broken links and links leaving the folder are skipped and reported in one line, a link to a file
// inside counts once, a split folder linked from outside is refused, test images repeating training images are
// refused, and an empty test/ or a missing folder path get messages that say what to do. Each layout is built from
// scratch with distinct 4x4 grey images (image i has every pixel at i/255), so counts say exactly what was read.
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Tests.Trainer.Data;

[Platform(Exclude = "Win", Reason = "symbolic links need privileges on Windows")]
public sealed class FolderScanTests
{
    [Test]
    public void ALinkToDotIsReadOnceAndReported()
    {
        using var folder = new TemporaryFolder();
        string root = Images(folder.File("data"), "a", 0, 20);
        File.CreateSymbolicLink(Path.Combine(root, "a", "self"), ".");
        File.CreateSymbolicLink(Path.Combine(root, "again"), "a");

        DatasetSplits splits = FolderDataset.Load(root, null, null, null);

        Assert.That(splits.Train.Count + splits.Test.Count, Is.EqualTo(20), "each image once");
        Assert.That(splits.Notes, Has.Count.EqualTo(1));
        Assert.That(splits.Notes[0], Does.Contain("2 links to folders already read").And.Contain("a/self -> .").And.Contain("again -> a"));
    }

    [Test]
    public void ALinkToTheParentDoesNotLeaveTheFolder()
    {
        using var folder = new TemporaryFolder();
        string root = Images(folder.File("data"), "a", 0, 10);
        Images(folder.File("sibling"), "b", 100, 30);
        File.CreateSymbolicLink(Path.Combine(root, "a", "up"), "../..");
        File.CreateSymbolicLink(Path.Combine(root, "outside.png"), Path.Combine(folder.Path, "sibling", "b", "100.png"));

        DatasetSplits splits = FolderDataset.Load(root, null, null, null);

        Assert.That(splits.Train.Count + splits.Test.Count, Is.EqualTo(10));
        Assert.That(splits.Train.LabelNames, Is.EqualTo(new[] { "a" }));
        Assert.That(splits.Notes.Single(), Does.Contain("2 links leaving the folder"));
    }

    [Test]
    public void LinksToFilesInsideCountOnceAndBrokenLinksAndLoopsAreSkipped()
    {
        using var folder = new TemporaryFolder();
        string root = Images(folder.File("data"), "a", 0, 10);
        Images(root, ".hidden", 50, 1);
        File.CreateSymbolicLink(Path.Combine(root, "a", "copy.png"), "0.png");                  // same real file: once
        File.CreateSymbolicLink(Path.Combine(root, "a", "shown.png"), "../.hidden/50.png");     // inside, not otherwise read
        File.CreateSymbolicLink(Path.Combine(root, "a", "gone.png"), "missing.png");            // broken
        File.CreateSymbolicLink(Path.Combine(root, "loop1"), "loop2");                          // loop of links
        File.CreateSymbolicLink(Path.Combine(root, "loop2"), "loop1");

        FolderScan scan = FolderScan.Run(root);

        Assert.That(scan.Files.Select(f => Path.GetFileName(f.Path)), Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => $"{i}.png").Append("shown.png")));
        Assert.That(scan.Files.Single(f => f.Path.EndsWith("shown.png", StringComparison.Ordinal)).RealPath, Does.EndWith(Path.Combine(".hidden", "50.png")));
        Assert.That(scan.Summary, Does.Contain("3 broken links").And.Contain("1 link to image files already listed"));
    }

    [Test]
    public void ASplitFolderLinkedFromOutsideIsRefused()
    {
        using var folder = new TemporaryFolder();
        string root = Images(folder.File("data"), "train", 0, 5);
        Images(folder.File("elsewhere"), "x", 10, 5);
        File.CreateSymbolicLink(Path.Combine(root, "test"), Path.Combine(folder.Path, "elsewhere"));

        var e = Assert.Throws<DatasetException>(() => FolderDataset.Load(root, null, null, null))!;
        Assert.That(e.Message, Does.Contain("outside").And.Contain("test"));
    }

    [Test]
    public void TestImagesIdenticalToTrainingImagesAreRefusedAndNamed()
    {
        using var folder = new TemporaryFolder();
        string root = Images(folder.File("data"), "train", 0, 8);
        Images(root, "test", 6, 4); // 6.png and 7.png repeat training images

        var e = Assert.Throws<DatasetException>(() => FolderDataset.Load(root, null, null, null))!;
        TestContext.Out.WriteLine(e.Message);
        Assert.That(e.Message, Does.StartWith("2 of the 4 test images are identical to training images"));
        Assert.That(e.Message, Does.Contain(Path.Combine("test", "6.png")).And.Contain(Path.Combine("train", "6.png")));
    }

    [Test]
    public void AnEmptyTestFolderIsNamedWithWhatToDo()
    {
        using var folder = new TemporaryFolder();
        string root = Images(folder.File("data"), "train", 0, 20);
        Directory.CreateDirectory(Path.Combine(root, "test"));

        var e = Assert.Throws<DatasetException>(() => FolderDataset.Load(root, null, null, null))!;
        Assert.That(e.Message, Does.Contain($"{Path.Combine(root, "test")} holds no images ({Path.Combine(root, "train")} holds 20)"));
        Assert.That(e.Message, Does.Contain("every 10th image is held out"));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void AMissingFolderPathIsNamed(string path)
    {
        var e = Assert.Throws<DatasetException>(() => FolderDataset.Load(path, null, null, null))!;
        Assert.That(e.Message, Does.StartWith("--dataset folder: needs the path"));
    }

    [Test]
    public void AFileGivenAsTheFolderIsCalledAFile()
    {
        using var folder = new TemporaryFolder();
        string file = Path.Combine(Images(folder.File("data"), "a", 0, 1), "a", "0.png");
        var e = Assert.Throws<DatasetException>(() => FolderDataset.Load(file, null, null, null))!;
        Assert.That(e.Message, Does.Contain("is a file"));
    }

    // Writes images first..first+count-1 (4x4 grey, pixel value i/255) into root/label and returns root.
    private static string Images(string root, string label, int first, int count)
    {
        string folder = Path.Combine(root, label);
        Directory.CreateDirectory(folder);
        for (int i = first; i < first + count; i++)
        {
            float[] pixels = Enumerable.Repeat(i / 255f, 16).ToArray();
            ImageFile.WritePng(ImageConversion.FromPlanar(pixels, 1, 4, 4), Path.Combine(folder, $"{i}.png"));
        }
        return root;
    }
}
