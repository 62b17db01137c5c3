// The examples/ folder of a model: Write puts each labelled image there as LABEL.png (names made safe), List offers
// exactly the files a service may answer by name (PNG, a safe name, within the size bound, not a link), in ordinal
// order and at most MaxCount of them; no folder is an empty list.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Examples;
using VaeOnnx.Runtime.Core.Imaging;

namespace VaeOnnx.Tests.Runtime.Core.Examples;

[TestFixture]
public sealed class ModelExamplesTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("vaeonnx-examples-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void WrittenExamplesAreListedInNameOrderAndReadBack()
    {
        var image = new PixelImage(3, 2, 1, [0, 50, 100, 150, 200, 250]);
        var paths = ModelExamples.Write(_folder, [("7", image), ("0", image), ("a/b c", image)]);
        Assert.That(paths.Select(Path.GetFileName), Is.EqualTo(new[] { "7.png", "0.png", "a_b_c.png" }));
        var listed = ModelExamples.List(_folder);
        Assert.That(listed.Select(e => e.Name), Is.EqualTo(new[] { "0.png", "7.png", "a_b_c.png" }));
        Assert.That(listed.Select(e => e.Label), Is.EqualTo(new[] { "0", "7", "a_b_c" }));
        Assert.That(ImageFile.Decode(File.ReadAllBytes(listed[1].Path)).Pixels, Is.EqualTo(image.Pixels));
        Assert.That(Path.GetDirectoryName(listed[0].Path), Is.EqualTo(Path.Combine(_folder, VaeContract.ExamplesFolderName)));
    }

    [TestCase("7", "7.png")]
    [TestCase("T-shirt/top", "T-shirt_top.png")]
    [TestCase("..", "example.png")]
    [TestCase("", "example.png")]
    [TestCase("ünïcode", "n_code.png")]
    public void FileNamesAreSafe(string label, string expected) => Assert.That(ModelExamples.FileNameFor(label), Is.EqualTo(expected));

    [Test]
    public void OnlySafeSmallPngFilesAreListedAndAtMostMaxCount()
    {
        string examples = Path.Combine(_folder, VaeContract.ExamplesFolderName);
        Directory.CreateDirectory(examples);
        for (int i = 0; i < ModelExamples.MaxCount + 5; i++) File.WriteAllBytes(Path.Combine(examples, $"{i:D3}.png"), [1]);
        File.WriteAllBytes(Path.Combine(examples, ".hidden.png"), [1]);
        File.WriteAllBytes(Path.Combine(examples, "notes.txt"), [1]);
        File.WriteAllBytes(Path.Combine(examples, "empty.png"), []);
        File.WriteAllBytes(Path.Combine(examples, "big.png"), new byte[ModelExamples.MaxFileBytes + 1]);
        File.CreateSymbolicLink(Path.Combine(examples, "000a.png"), "/etc/hostname");
        var listed = ModelExamples.List(_folder);
        Assert.That(listed, Has.Count.EqualTo(ModelExamples.MaxCount));
        Assert.That(listed[0].Name, Is.EqualTo("000.png"));
        Assert.That(listed.Select(e => e.Name), Has.None.EqualTo("000a.png").And.None.EqualTo(".hidden.png").And.None.EqualTo("big.png").And.None.EqualTo("empty.png"));
    }

    [Test]
    public void NoFolderIsAnEmptyList() => Assert.That(ModelExamples.List(_folder), Is.Empty);
}
