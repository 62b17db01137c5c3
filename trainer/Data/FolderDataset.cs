// A dataset from a folder of PNG images (any size, grey or colour, 8 or 16 bit), for --dataset folder:PATH.
// Layout and rules (also in trainer/README.md):
//   labels:  each sub-folder of the split root is a class (its name, sorted ordinally); images directly in the root
//            get the class "(none)"; images deeper down belong to their top-level sub-folder.
//   splits:  PATH/train and PATH/test when both exist; otherwise every 10th image in path order (the 10th, 20th, ...)
//            is held out for testing (the last image when there are fewer than 10).
//   size:    every image is resized to one size (default: the first image's), see ImageSource;
//   colour:  converted to 1 or 3 channels (default: 3 when any image is colour, else 1), see ChannelConversion.
// Only image files are read (ImageSource.Extensions, case-insensitive); other files and hidden entries are ignored.
namespace VaeOnnx.Trainer.Data;

public static class FolderDataset
{
    public const string NoLabel = "(none)";

    public static DatasetSplits Load(string folder, int? channels, int? height, int? width)
    {
        if (!Directory.Exists(folder))
        {
            throw new DatasetException($"Image folder {Path.GetFullPath(folder)} does not exist; --dataset folder:PATH needs a folder of PNG images.");
        }
        if (channels is not (null or 1 or 3))
        {
            throw new DatasetException($"--channels {channels} is not supported; use 1 (grey) or 3 (RGB).");
        }
        string trainRoot = Path.Combine(folder, "train"), testRoot = Path.Combine(folder, "test");
        bool presplit = Directory.Exists(trainRoot) && Directory.Exists(testRoot);
        List<(string Path, string Label)> trainFiles, testFiles;
        if (presplit)
        {
            trainFiles = Scan(trainRoot);
            testFiles = Scan(testRoot);
        }
        else
        {
            var all = Scan(folder);
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
                $"{Path.GetFullPath(folder)} holds {trainFiles.Count + testFiles.Count} images; at least 2 are needed (one to train on, one to test).");
        }
        string[] labelNames = trainFiles.Concat(testFiles).Select(f => f.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
        var first = ImageSource.Identify(trainFiles[0].Path);
        int targetHeight = height ?? first.Height, targetWidth = width ?? first.Width;
        var decodedTrain = trainFiles.Select(f => (f, Image: ImageSource.Read(f.Path, (targetHeight, targetWidth)))).ToList();
        var decodedTest = testFiles.Select(f => (f, Image: ImageSource.Read(f.Path, (targetHeight, targetWidth)))).ToList();
        int targetChannels = channels ?? (decodedTrain.Concat(decodedTest).Any(d => d.Image.Channels >= 3) ? 3 : 1);
        string name = "folder:" + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return new DatasetSplits(
            Build(name + "/train", decodedTrain, labelNames, targetChannels, targetHeight, targetWidth),
            Build(name + "/test", decodedTest, labelNames, targetChannels, targetHeight, targetWidth)) { Name = name };
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

    private static List<(string Path, string Label)> Scan(string root)
    {
        var files = new List<(string Path, string Label)>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System, MatchCasing = MatchCasing.CaseInsensitive };
        foreach (string path in Directory.EnumerateFiles(root, "*", options))
        {
            if (!ImageSource.Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
            {
                continue;
            }
            string relative = Path.GetRelativePath(root, path);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            {
                continue;
            }
            int separator = relative.IndexOf(Path.DirectorySeparatorChar);
            files.Add((path, separator < 0 ? NoLabel : relative[..separator]));
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return files;
    }
}
