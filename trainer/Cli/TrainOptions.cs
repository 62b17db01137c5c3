// The options of `train` (also the root command's, since train is the default), their help texts, and their
// translation into a TrainingConfig. The defaults and bounds they show are TrainingConfig's (Defaults, the Max...
// constants) and the contract's (VaeContract.MaxLatentSize). A new instance makes new Option objects, one set per command.
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Errors;
using VaeOnnx.Runtime.Core.Text;

namespace VaeOnnx.Trainer.Cli;

public sealed class TrainOptions
{
    // The words --likelihood accepts and what each means. The option accepts exactly these keys, so System.CommandLine
    // is the one check of a bad word (usage exit code, one line naming the keys) and the lookup in ToConfig cannot miss.
    private static readonly IReadOnlyDictionary<string, Runtime.Core.Likelihood> LikelihoodWords =
        Enum.GetValues<Runtime.Core.Likelihood>().ToDictionary(VaeContract.LikelihoodText);

    private static TrainingConfig Defaults => TrainingConfig.Defaults;

    public Option<string> Arch { get; } = new("--arch") { Description = "Network: conv (convolutional) or mlp (fully connected, 784-400-L)", DefaultValueFactory = _ => Defaults.Architecture.ToName() };
    public Option<int?> Latent { get; } = new("--latent")
    {
        Description = $"Latent dimensions (1 to {VaeContract.MaxLatentSize}, and the run must fit in memory: checked before training) " +
            $"[default: {TrainingConfig.DefaultLatentSize(VaeKind.Conv)} for conv, {TrainingConfig.DefaultLatentSize(VaeKind.Mlp)} for mlp]",
    };
    public Option<int> Hidden { get; } = new("--hidden") { Description = "Hidden units of the mlp network", DefaultValueFactory = _ => Defaults.Hidden };
    public Option<string> Likelihood { get; } = new("--likelihood") { Description = "Pixel likelihood: bernoulli (sigmoid outputs, cross-entropy) or gaussian (fixed sigma)", DefaultValueFactory = _ => VaeContract.LikelihoodText(Defaults.Likelihood) };
    public Option<double> Sigma { get; } = new("--sigma") { Description = "Standard deviation of the gaussian likelihood (pixels in [0, 1])", DefaultValueFactory = _ => Defaults.GaussianSigma };
    public Option<double> Beta { get; } = new("--beta") { Description = "Weight of the KL term (1 = the ELBO; other values give a beta-VAE)", DefaultValueFactory = _ => Defaults.Beta };
    public Option<double> KlWarmup { get; } = new("--kl-warmup") { Description = "Epochs over which the KL weight rises linearly from 0 to --beta (0 = off)", DefaultValueFactory = _ => Defaults.KlWarmupEpochs };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<int> Batch { get; } = new("--batch") { Description = "Images per mini-batch", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the training set (with --resume: the new total)", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of every random choice (weights, shuffling, noise, binarization)", DefaultValueFactory = _ => Defaults.Seed };
    public Option<int?> Threads { get; } = new("--threads") { Description = "CPU threads for the math [default: all cores]" };
    public Option<double?> ClipGrad { get; } = new("--clip-grad") { Description = "Clip the global gradient norm to this value [default: no clipping]" };
    public Option<string> Dataset { get; } = new("--dataset") { Description = "mnist, fashion-mnist, shapes (generated) or folder:PATH (images: PNG, JPEG, BMP, GIF, TGA, WebP, TIFF, PBM; sub-folders are labels)", DefaultValueFactory = _ => Defaults.Data.Dataset };
    public Option<string?> Data { get; } = new("--data") { Description = $"Folder with the dataset's IDX files [default: ${DatasetRequest.DataEnvironmentVariable}, else data/<dataset>]" };
    public Option<string?> ImageSize { get; } = new("--image-size")
    {
        Description = $"Resize images to HxW or N (folder:PATH and shapes; each side {TrainingConfig.MinImageSide} to {TrainingConfig.MaxImageSide}, and the run must fit in memory: " +
            "checked before training) [default: the first image's size; shapes: 28]",
    };
    public Option<int?> Channels { get; } = new("--channels") { Description = "1 (grey) or 3 (RGB) for folder:PATH and shapes [default: 3 if any image has colour, else 1]" };
    public Option<string?> Digits { get; } = new("--digits", "--labels") { Description = "Train and test on these labels only, e.g. 0-8 or 1,3,5-7" };
    public Option<string> Binarize { get; } = new("--binarize") { Description = "none, dynamic (resample {0,1} pixels each epoch) or static (sample once)", DefaultValueFactory = _ => BinarizationNames.ToName(Defaults.Data.Binarize) };
    public Option<int?> TrainLimit { get; } = new("--train-limit") { Description = "Use only the first N training images (quick runs)" };
    public Option<int?> TestLimit { get; } = new("--test-limit") { Description = "Use only the first N test images" };
    public Option<string?> Out { get; } = new("--out") { Description = "Run folder to create [default: runs/<arch>-<yyyyMMdd-HHmmss>]" };
    public Option<string?> Resume { get; } = new("--resume") { Description = "Continue the run in this folder from its checkpoint.bin (only --epochs, --threads, --device and --data may be given with it)" };
    public Option<string> Device { get; } = DeviceOption.Create();

    public Option<string> DeviceData { get; } = DeviceDataOption.Create();

    public TrainOptions()
    {
        Arch.AcceptOnlyFromAmong([.. VaeKindNames.All]);
        Likelihood.AcceptOnlyFromAmong([.. LikelihoodWords.Keys]);
        Binarize.AcceptOnlyFromAmong([.. BinarizationNames.All]);
    }

    public IEnumerable<Option> All =>
    [
        Arch, Latent, Hidden, Likelihood, Sigma, Beta, KlWarmup, LearningRate, Batch, Epochs, Seed, Threads, ClipGrad,
        Dataset, Data, ImageSize, Channels, Digits, Binarize, TrainLimit, TestLimit, Out, Resume, Device, DeviceData,
    ];

    /// <summary>The options a resumed run may be given: they do not change what the run computes (the device changes only rounding).</summary>
    public IEnumerable<Option> AllowedWithResume => [Epochs, Threads, Data, Resume, Device, DeviceData];

    public void AddTo(Command command)
    {
        foreach (Option option in All)
        {
            command.Add(option);
        }
    }

    public static bool IsGiven(ParseResult result, Option option) => result.GetResult(option) is OptionResult { Implicit: false };

    /// <summary>Throws a CliUsageException naming every option given with --resume that would change what the run computes.</summary>
    public void RefuseChangesOnResume(ParseResult result, string runFolder)
    {
        string[] notAllowed = [.. All.Except(AllowedWithResume).Where(o => IsGiven(result, o)).Select(o => o.Name)];
        if (notAllowed.Length > 0)
        {
            throw new CliUsageException(
                $"{string.Join(", ", notAllowed)} cannot be changed when resuming: a resumed run keeps the settings in {UserText.Path(Path.Combine(runFolder, RunFiles.Config))}. " +
                $"Only {UserText.List(AllowedWithResume.Where(o => o != Resume).Select(o => o.Name))} may be given with --resume.");
        }
    }

    public TrainingConfig ToConfig(ParseResult r)
    {
        (int? height, int? width) = ParseImageSize(r.GetValue(ImageSize));
        return new TrainingConfig
        {
            Architecture = VaeKindNames.Parse(r.GetValue(Arch)!),
            LatentSize = r.GetValue(Latent),
            Hidden = r.GetValue(Hidden),
            Likelihood = LikelihoodWords[r.GetValue(Likelihood)!],
            GaussianSigma = r.GetValue(Sigma),
            Beta = r.GetValue(Beta),
            KlWarmupEpochs = r.GetValue(KlWarmup),
            LearningRate = r.GetValue(LearningRate),
            BatchSize = r.GetValue(Batch),
            Epochs = r.GetValue(Epochs),
            Seed = r.GetValue(Seed),
            ClipGradNorm = r.GetValue(ClipGrad),
            Data = new DatasetRequest
            {
                Dataset = r.GetValue(Dataset)!,
                DataFolder = r.GetValue(Data),
                Height = height,
                Width = width,
                Channels = r.GetValue(Channels),
                Labels = r.GetValue(Digits),
                TrainLimit = r.GetValue(TrainLimit),
                TestLimit = r.GetValue(TestLimit),
                Binarize = BinarizationNames.Parse(r.GetValue(Binarize)!),
            },
        };
    }

    /// <summary>"HxW" or "N" -> (H, W); null -> (null, null).</summary>
    public static (int? Height, int? Width) ParseImageSize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }
        string[] parts = text.ToLowerInvariant().Split('x');
        bool ok = parts.Length is 1 or 2;
        int[] values = new int[parts.Length];
        for (int i = 0; ok && i < parts.Length; i++)
        {
            ok = int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i])
                && values[i] >= TrainingConfig.MinImageSide && values[i] <= TrainingConfig.MaxImageSide;
        }
        if (!ok)
        {
            throw new CliUsageException(
                $"--image-size {UserText.Echo(text)} is not a size; write HxW such as 32x32, or one number for a square, each side {TrainingConfig.MinImageSide} to {TrainingConfig.MaxImageSide}.");
        }
        return (values[0], values[^1]);
    }
}
