// What the user asked for on the command line about data, in one value that config.json records and resume reuses.
//   Dataset:   "mnist", "fashion-mnist", "shapes" (generated, for demos) or "folder:PATH" (image files).
//   DataFolder: folder of the IDX files; null means $VAEONNX_DATA, else data/<dataset> under the current directory.
namespace VaeOnnx.Trainer.Data;

public sealed record DatasetRequest
{
    public const string DataEnvironmentVariable = "VAEONNX_DATA";
    public const string FolderPrefix = "folder:";

    public string Dataset { get; init; } = "mnist";

    public string? DataFolder { get; init; }

    /// <summary>Target image size for folder datasets (null: the size of the first image).</summary>
    public int? Height { get; init; }

    public int? Width { get; init; }

    /// <summary>Target channel count (1 or 3) for folder datasets (null: 3 if any image has colour, else 1).</summary>
    public int? Channels { get; init; }

    /// <summary>Label list such as "0-8" (null: all labels).</summary>
    public string? Labels { get; init; }

    /// <summary>Use only the first N training images (after the label filter); null: all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Use only the first N test images (after the label filter); null: all.</summary>
    public int? TestLimit { get; init; }

    public Binarization Binarize { get; init; } = Binarization.None;

    /// <summary>
    /// Throws a DatasetException naming the option when a limit or the channel count cannot work; every command's
    /// request passes here (DatasetLoader.Load), so evaluate and anomaly-demo check what train checks.
    /// </summary>
    public void Validate()
    {
        Require(TrainLimit is null or >= 1, "--train-limit", TrainLimit, "at least 1");
        Require(TestLimit is null or >= 1, "--test-limit", TestLimit, "at least 1");
        Require(Channels is null or 1 or 3, "--channels", Channels, "1 (grey) or 3 (RGB)");
        Require(Height is null or >= 1, "--image-size", Height, "at least 1 pixel high");
        Require(Width is null or >= 1, "--image-size", Width, "at least 1 pixel wide");
    }

    private static void Require(bool ok, string option, int? value, string expected)
    {
        if (!ok)
        {
            throw new DatasetException($"{option} {value} is not usable; it must be {expected}.");
        }
    }

    /// <summary>The folder the IDX files are read from (and downloaded to), resolved as documented above.</summary>
    public string ResolveDataFolder()
    {
        if (!string.IsNullOrEmpty(DataFolder))
        {
            return DataFolder;
        }
        string? fromEnvironment = Environment.GetEnvironmentVariable(DataEnvironmentVariable);
        return !string.IsNullOrEmpty(fromEnvironment) ? fromEnvironment : Path.Combine("data", Dataset);
    }
}
