// A dataset from a folder of images (any size, grey or colour, 8 or 16 bit), for --dataset folder:PATH.
// Layout and rules (also in trainer/README.md):
//   labels:  each sub-folder of the split root is a class (its name, sorted ordinally); images directly in the root
//            get the class "(none)"; images deeper down belong to their top-level sub-folder.
//   splits:  PATH/train and PATH/test when both exist; otherwise every 10th image in path order (the 10th, 20th, ...)
//            is held out for testing (the last image when there are fewer than 10).
//   size:    every image is resized to one size (default: the first image's), see ImageSource;
//   colour:  converted to 1 or 3 channels (default: 3 when any image is colour, else 1), see ChannelConversion.
//   frames:  only the first frame or page of a GIF, TIFF, WebP or APNG is read; a note says which files held more.
//   links:   followed only inside the root, each real folder and file once (see FolderScan); what was skipped is
//            reported in DatasetSplits.Notes.
//   overlap: a test image whose pixels are identical to a training image's is refused (it would make the test loss
//            a training loss); the message names a few.
// Only image files are read (ImageSource.Extensions, case-insensitive); other files and hidden entries are ignored.
using System.Runtime.InteropServices;
using System.Security.Cryptography;

using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Data;

public static class FolderDataset
{
    public const string NoLabel = "(none)";

    public static DatasetSplits Load(string folder, int? channels, int? height, int? width)
    {
        if (string.IsNullOrWhiteSpace(folder))
        {
            throw new DatasetException("--dataset folder: needs the path of a folder of images after the colon, e.g. folder:/data/faces.");
        }
        if (!Directory.Exists(folder))
        {
            throw new DatasetException(File.Exists(folder)
                ? $"{UserText.Path(folder)} is a file; --dataset folder:PATH needs a folder of images (sub-folders are labels)."
                : $"Image folder {UserText.Path(Path.GetFullPath(folder))} does not exist; --dataset folder:PATH needs a folder of images.");
        }
        (string trainRoot, string testRoot, bool presplit) = Layout(folder);
        List<(string Path, string Label, string RealPath)> trainFiles, testFiles;
        var notes = new List<string>();
        if (presplit)
        {
            string realRoot = FolderScan.RealPath(folder);
            foreach (string split in new[] { trainRoot, testRoot })
            {
                if (!FolderScan.IsInside(FolderScan.RealPath(split), realRoot))
                {
                    throw new DatasetException(
                        $"{UserText.Path(split)} is a link to {UserText.Path(FolderScan.RealPath(split))}, outside {UserText.Path(folder)}; put the split's images inside the dataset folder.");
                }
            }
            trainFiles = Scan(trainRoot, notes);
            testFiles = Scan(testRoot, notes);
            if (testFiles.Count == 0 || trainFiles.Count == 0)
            {
                (string empty, string other, int count) = testFiles.Count == 0 ? (testRoot, trainRoot, trainFiles.Count) : (trainRoot, testRoot, testFiles.Count);
                throw new DatasetException(
                    $"{UserText.Path(empty)} holds no images ({UserText.Path(other)} holds {count}); put images in it, " +
                    $"or remove the empty folder and move {UserText.Path(other)}'s label folders up into {UserText.Path(folder)} so that every 10th image is held out for testing.");
            }
        }
        else
        {
            var all = Scan(folder, notes);
            trainFiles = [];
            testFiles = [];
            for (int i = 0; i < all.Count; i++)
            {
                bool heldOut = all.Count >= 10 ? i % 10 == 9 : i == all.Count - 1 && all.Count > 1;
                (heldOut ? testFiles : trainFiles).Add(all[i]);
            }
        }
        if (trainFiles.Count == 0 || testFiles.Count == 0)
        {
            throw new DatasetException(
                $"{UserText.Path(Path.GetFullPath(folder))} holds {trainFiles.Count + testFiles.Count} images; at least 2 are needed (one to train on, one to test).");
        }
        string[] labelNames = trainFiles.Concat(testFiles).Select(f => f.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        var first = ImageSource.Identify(trainFiles[0].RealPath);
        int targetHeight = height ?? first.Height, targetWidth = width ?? first.Width;
        var decodedTrain = trainFiles.Select(f => ((f.Path, f.Label), Image: ImageSource.Read(f.RealPath, (targetHeight, targetWidth)))).ToList();
        var decodedTest = testFiles.Select(f => ((f.Path, f.Label), Image: ImageSource.Read(f.RealPath, (targetHeight, targetWidth)))).ToList();
        RefuseOverlap(decodedTrain, decodedTest);
        if (FramesNote(decodedTrain.Concat(decodedTest).Select(d => d.Image.Note)) is string framesNote)
        {
            notes.Add(framesNote);
        }
        int targetChannels = channels ?? (decodedTrain.Concat(decodedTest).Any(d => d.Image.Channels >= 3) ? 3 : 1);
        string name = "folder:" + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return new DatasetSplits(
            Build(name + "/train", decodedTrain, labelNames, targetChannels, targetHeight, targetWidth),
            Build(name + "/test", decodedTest, labelNames, targetChannels, targetHeight, targetWidth)) { Name = name, Notes = notes };
    }

    /// <summary>How many image files Load would read (without reading them), for the memory check before loading; 0 when the folder is missing.</summary>
    public static int CountImages(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder))
        {
            return 0;
        }
        (string trainRoot, string testRoot, bool presplit) = Layout(folder);
        return presplit ? FolderScan.Run(trainRoot).Files.Count + FolderScan.Run(testRoot).Files.Count : FolderScan.Run(folder).Files.Count;
    }

    // PATH/train and PATH/test are the splits when both exist.
    private static (string TrainRoot, string TestRoot, bool Presplit) Layout(string folder)
    {
        string trainRoot = Path.Combine(folder, "train"), testRoot = Path.Combine(folder, "test");
        return (trainRoot, testRoot, Directory.Exists(trainRoot) && Directory.Exists(testRoot));
    }

    /// <summary>Throws when test images repeat training images pixel for pixel (same size, channels and samples).</summary>
    private static void RefuseOverlap(List<((string Path, string Label) File, DecodedImage Image)> train, List<((string Path, string Label) File, DecodedImage Image)> test)
    {
        var trainHashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, image) in train)
        {
            trainHashes.TryAdd(PixelHash(image), file.Path);
        }
        var repeated = test.Select(t => (t.File.Path, Hash: PixelHash(t.Image)))
            .Where(t => trainHashes.ContainsKey(t.Hash))
            .Select(t => $"{UserText.Path(t.Path)} = {UserText.Path(trainHashes[t.Hash])}").ToList();
        if (repeated.Count > 0)
        {
            throw new DatasetException(
                $"{repeated.Count} of the {test.Count} test images are identical to training images ({string.Join(", ", repeated.Take(3))}{(repeated.Count > 3 ? ", ..." : "")}); " +
                "a test image seen in training makes the test loss meaningless: remove the copies from one side.");
        }
    }

    // One line for every file that held several frames or pages (only the first of each was read).
    private static string? FramesNote(IEnumerable<string?> notes)
    {
        var found = notes.OfType<string>().ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => $"{found.Count} image files hold several frames or pages; only the first of each was read ({string.Join(" ", found.Take(3))}{(found.Count > 3 ? " ..." : "")})",
        };
    }

    private static string PixelHash(DecodedImage image)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(MemoryMarshal.AsBytes<int>([image.Height, image.Width, image.Channels]));
        hash.AppendData(MemoryMarshal.AsBytes(image.Samples.AsSpan()));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static ImageDataset Build(
        string name, List<((string Path, string Label) File, DecodedImage Image)> images, string[] labelNames, int channels, int height, int width)
    {
        int size = channels * height * width;
        float[] pixels = new float[images.Count * size];
        int[] labels = new int[images.Count];
        for (int n = 0; n < images.Count; n++)
        {
            DecodedImage image = images[n].Image;
            ChannelConversion.ToPlanar(image.Samples, image.Height, image.Width, image.Channels, channels).CopyTo(pixels.AsSpan(n * size, size));
            labels[n] = Array.IndexOf(labelNames, images[n].File.Label);
        }
        return new ImageDataset(name, channels, height, width, pixels, labels, labelNames);
    }

    private static List<(string Path, string Label, string RealPath)> Scan(string root, List<string> notes)
    {
        FolderScan scan = FolderScan.Run(root);
        if (scan.Summary is string summary)
        {
            notes.Add(summary);
        }
        return [.. scan.Files];
    }
}
