// IDX reading: valid raw and gzipped files round-trip exactly; every kind of damage gives a DatasetException whose
// message names the file and the problem.
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Tests.Trainer.Data;

public sealed class IdxReaderTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void ReadsImagesAndLabelsExactly(bool gzip)
    {
        using var folder = new TemporaryFolder();
        byte[] images = IdxFiles.Images(7, 5, 3, seed: 1);
        byte[] labels = IdxFiles.Labels(7, seed: 2);
        string imagesPath = folder.File(gzip ? "images.gz" : "images"), labelsPath = folder.File(gzip ? "labels.gz" : "labels");
        File.WriteAllBytes(imagesPath, gzip ? IdxFiles.Gzip(images) : images);
        File.WriteAllBytes(labelsPath, gzip ? IdxFiles.Gzip(labels) : labels);

        IdxImages read = IdxReader.ReadImages(imagesPath);
        Assert.That((read.Count, read.Rows, read.Columns), Is.EqualTo((7, 5, 3)));
        Assert.That(read.Pixels, Is.EqualTo(IdxFiles.Body(images)));
        Assert.That(IdxReader.ReadLabels(labelsPath), Is.EqualTo(labels[8..]));

        ImageDataset dataset = IdxDataset.Load(imagesPath, labelsPath, "tiny", ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        Assert.That(dataset.Count, Is.EqualTo(7));
        Assert.That(dataset.Pixels[4], Is.EqualTo(IdxFiles.Body(images)[4] / 255f));
        Assert.That(dataset.Pixels.Max(), Is.LessThanOrEqualTo(1f));
    }

    [Test]
    public void BadMagicIsNamed()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("images");
        File.WriteAllBytes(path, IdxFiles.Images(2, 4, 4, seed: 1, magic: 0x00000804));
        AssertFails(() => IdxReader.ReadImages(path), path, "bad magic number 0x00000804, expected 0x00000803");
    }

    [Test]
    public void LabelsFileGivenAsImagesIsExplained()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("labels.gz");
        File.WriteAllBytes(path, IdxFiles.Gzip(IdxFiles.Labels(3, seed: 1)));
        AssertFails(() => IdxReader.ReadImages(path), path, "file names swapped");
    }

    [Test]
    public void ZeroSizedImagesAreRejected()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("images");
        File.WriteAllBytes(path, IdxFiles.Build([0x803, 3, 0, 28], [], 0, 0));
        AssertFails(() => IdxReader.ReadImages(path), path, "0 x 28 pixels are not plausible");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TruncatedDataIsReported(bool gzip)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("images");
        byte[] bytes = IdxFiles.Images(4, 6, 6, seed: 3, missingBytes: 10);
        File.WriteAllBytes(path, gzip ? IdxFiles.Gzip(bytes) : bytes);
        AssertFails(() => IdxReader.ReadImages(path), path, "truncated: the header announces 4 images of 6 x 6 pixels (144 bytes) but only 134 bytes follow");
    }

    [Test]
    public void TruncatedHeaderIsReported()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("images");
        File.WriteAllBytes(path, IdxFiles.Images(4, 6, 6, seed: 3)[..10]);
        AssertFails(() => IdxReader.ReadImages(path), path, "ends inside the header");
    }

    [TestCase("images")]
    [TestCase("images.gz")]
    public void AnEmptyFileIsCalledEmpty(string name)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File(name);
        File.WriteAllBytes(path, []);
        AssertFails(() => IdxReader.ReadImages(path), path, "is empty (0 bytes)");
    }

    [Test]
    public void AFolderInPlaceOfTheFileIsCalledAFolder()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("images");
        Directory.CreateDirectory(path);
        AssertFails(() => IdxReader.ReadImages(path), path, "is a folder, not an IDX");
    }

    [Test]
    public void TrailingDataIsReported()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("images");
        File.WriteAllBytes(path, IdxFiles.Images(2, 3, 3, seed: 4, extraBytes: 5));
        AssertFails(() => IdxReader.ReadImages(path), path, "unexpected data after the last of the images");
    }

    [Test]
    public void CountMismatchNamesBothFiles()
    {
        using var folder = new TemporaryFolder();
        string imagesPath = folder.File("images"), labelsPath = folder.File("labels");
        File.WriteAllBytes(imagesPath, IdxFiles.Images(5, 3, 3, seed: 1));
        File.WriteAllBytes(labelsPath, IdxFiles.Labels(4, seed: 2));
        var e = Assert.Throws<DatasetException>(() => IdxDataset.Load(imagesPath, labelsPath, "x", ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]));
        Assert.That(e!.Message, Does.Contain(imagesPath).And.Contain(labelsPath).And.Contain("5 images but").And.Contain("4 labels"));
    }

    [Test]
    public void LabelOutsideTheClassesIsReported()
    {
        using var folder = new TemporaryFolder();
        string imagesPath = folder.File("images"), labelsPath = folder.File("labels");
        File.WriteAllBytes(imagesPath, IdxFiles.Images(3, 3, 3, seed: 1));
        File.WriteAllBytes(labelsPath, IdxFiles.Build([0x801, 3], [1, 12, 2], 0, 0));
        AssertFails(() => IdxDataset.Load(imagesPath, labelsPath, "x", ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]), labelsPath, "label 12 at index 1");
    }

    [Test]
    public void CorruptGzipIsReported()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("images.gz");
        byte[] gz = IdxFiles.Gzip(IdxFiles.Images(20, 8, 8, seed: 5));
        for (int i = 12; i < gz.Length - 8; i += 3)
        {
            gz[i] ^= 0x5A;
        }
        File.WriteAllBytes(path, gz);
        AssertFails(() => IdxReader.ReadImages(path), path, "corrupt gzip data");
    }

    [Test]
    public void TruncatedGzipIsReported()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("images.gz");
        byte[] gz = IdxFiles.Gzip(IdxFiles.Images(20, 8, 8, seed: 6));
        File.WriteAllBytes(path, gz[..(gz.Length / 2)]);
        var e = Assert.Throws<DatasetException>(() => IdxReader.ReadImages(path));
        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.Message, Does.StartWith(path));
        Assert.That(e.Message, Does.Contain("truncated").Or.Contain("corrupt gzip"));
    }

    [Test]
    public void MissingFileIsNamed()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("nothing.gz");
        AssertFails(() => IdxReader.ReadLabels(path), path, "file not found");
    }

    private static void AssertFails(TestDelegate action, string path, string fragment)
    {
        var e = Assert.Throws<DatasetException>(action);
        TestContext.Out.WriteLine(e!.Message);
        Assert.That(e.Message, Does.StartWith(path));
        Assert.That(e.Message, Does.Contain(fragment));
    }
}
