// The two IDX datasets the trainer knows by name, MNIST and Fashion-MNIST: their files, checksums, mirrors and labels,
// and loading them from a data folder (downloading what is missing). Raw (non-gz) files of the same names are used too.
// Checksums: MNIST's sha256 values are those in ../shared/data/mnist/README.md (the training images accept both the
// original download and the rebuilt copy); Fashion-MNIST publishes MD5 values only, so those are what we verify.
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Data;

public sealed record IdxDatasetSource(string Name, IReadOnlyList<string> Mirrors, IReadOnlyList<RemoteFile> Files, IReadOnlyList<string> LabelNames)
{
    public const string TrainImages = "train-images-idx3-ubyte.gz";
    public const string TrainLabels = "train-labels-idx1-ubyte.gz";
    public const string TestImages = "t10k-images-idx3-ubyte.gz";
    public const string TestLabels = "t10k-labels-idx1-ubyte.gz";

    public static IdxDatasetSource Mnist { get; } = new(
        "mnist",
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
        [
            new RemoteFile(TrainImages, DigestKind.Sha256,
                ["440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", "bec7c817266cec5355717ac3000f9cf4762ae68539c6767e49d02c0ed9eb0d9d"]),
            new RemoteFile(TrainLabels, DigestKind.Sha256, ["3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"]),
            new RemoteFile(TestImages, DigestKind.Sha256, ["8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"]),
            new RemoteFile(TestLabels, DigestKind.Sha256, ["f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"]),
        ],
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);

    public static IdxDatasetSource FashionMnist { get; } = new(
        "fashion-mnist",
        ["https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/", "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        [
            new RemoteFile(TrainImages, DigestKind.Md5, ["8d4fb7e6c68d591d4c3dfef9ec88bf0d"]),
            new RemoteFile(TrainLabels, DigestKind.Md5, ["25c81989df183df01b3e8a0aad5dffbe"]),
            new RemoteFile(TestImages, DigestKind.Md5, ["bef4ecab320f06d8554ea6380940ec79"]),
            new RemoteFile(TestLabels, DigestKind.Md5, ["bb300cfdad3c16e7a12a480ee83cd310"]),
        ],
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);

    /// <summary>Loads both splits from <paramref name="folder"/>, first downloading missing files when a downloader is given.</summary>
    public DatasetSplits Load(string folder, DatasetDownloader? downloader)
    {
        if (InputPaths.FileInsteadOfFolder(folder, $"a folder of {Name} IDX files") is string wrongKind)
        {
            throw new DatasetException($"{wrongKind}; point --data at the folder that holds (or should receive) the four IDX files.");
        }
        string[] missing = Files.Where(f => FindLocal(folder, f.Name) is null).Select(f => f.Name).ToArray();
        if (missing.Length > 0)
        {
            if (downloader is null)
            {
                throw new DatasetException(MissingFilesMessage(folder, missing, reasons: null));
            }
            downloader.Download(this, folder, Files.Where(f => missing.Contains(f.Name)).ToArray());
        }
        ImageDataset train = IdxDataset.Load(FindLocal(folder, TrainImages)!, FindLocal(folder, TrainLabels)!, Name + "/train", LabelNames);
        ImageDataset test = IdxDataset.Load(FindLocal(folder, TestImages)!, FindLocal(folder, TestLabels)!, Name + "/test", LabelNames);
        if (train.Height != test.Height || train.Width != test.Width)
        {
            throw new DatasetException(
                $"{folder}: the training images are {train.Height} x {train.Width} but the test images {test.Height} x {test.Width}; both splits must have one size.");
        }
        return new DatasetSplits(train, test) { Name = Name };
    }

    /// <summary>The path of <paramref name="gzName"/> in <paramref name="folder"/>, or of its uncompressed twin, or null.</summary>
    public static string? FindLocal(string folder, string gzName)
    {
        string gz = Path.Combine(folder, gzName);
        string raw = Path.Combine(folder, Path.GetFileNameWithoutExtension(gzName));
        foreach (string candidate in new[] { gz, raw })
        {
            if (InputPaths.FolderInsteadOfFile(candidate, "an IDX file") is string wrongKind)
            {
                throw new DatasetException($"{wrongKind}; remove or rename that folder so the file can be put there.");
            }
        }
        if (File.Exists(gz))
        {
            return gz;
        }
        return File.Exists(raw) ? raw : null;
    }

    public string MissingFilesMessage(string folder, IReadOnlyList<string> missing, string? reasons)
    {
        string where = Path.GetFullPath(folder);
        string why = reasons is null ? "" : $" and could not be downloaded ({reasons})";
        return $"{Name} is not in {where}{why}. Put the files {string.Join(", ", missing)} "
            + $"(gzipped as downloaded, or uncompressed without .gz) in {where}, or point --data or the VAEONNX_DATA environment variable at a folder holding them.";
    }
}
