// A trained VAE ready to serve: the encoder.onnx / decoder.onnx pair of a model folder, checked against each other,
// with the operations built on them (decode, encode, sample, reconstruct, interpolate; scores are VaeScorer's, which
// builds on this type and is not referenced by it).
// Thread-safe: every method may be called concurrently on one instance (ONNX Runtime sessions allow concurrent runs).
// Every public method validates its arguments (counts, lengths, finite values) before anything runs.
// It deliberately does no image file IO (see Imaging) and no training.
using VaeOnnx.Runtime.Core.Inference;
using static VaeOnnx.Runtime.Core.VaeContract;

namespace VaeOnnx.Runtime.Core;

/// <summary>A trained VAE: the encoder.onnx / decoder.onnx pair of a model folder on ONNX Runtime, checked against the model contract and each other, with decode, encode, sample, reconstruct and interpolate. Thread-safe: share one instance per process. Every method validates its arguments before anything runs.</summary>
/// <remarks>
/// Shapes: latents are (N, L) and images (N, C, H, W), row-major floats, with L, C, H and W from <see cref="Metadata"/>;
/// images are in [0, 1] (probabilities for a Bernoulli model, means for a Gaussian one). What the methods throw:
/// <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>) for a count outside 1 to
/// <see cref="MaxCount"/>, a buffer of the wrong length, a non-finite value, |z| above <see cref="MaxLatentMagnitude"/> or a
/// temperature out of range, naming the argument and the bound; <see cref="ModelOutputException"/> when a graph outputs
/// NaN or infinity from such input (the model's fault); <see cref="Inference.InferenceException"/> when ONNX Runtime
/// fails to run a graph; <see cref="OperationCanceledException"/> when the token is cancelled (the run is stopped inside
/// ONNX Runtime); <see cref="ObjectDisposedException"/> after <see cref="Dispose"/>.
/// </remarks>
public sealed class VaeModel : IDisposable
{
    /// <summary>Largest batch (images or latents) one call accepts.</summary>
    public const int MaxCount = 4096;

    /// <summary>
    /// Largest |z| a caller may decode: 10,000 standard deviations of the N(0, I) prior, far beyond any latent a trained
    /// model has seen, and small enough that a sane decoder cannot overflow float32 on it. Larger values are refused as
    /// the caller's error (ArgumentException naming this bound) instead of reaching the model; the service and every
    /// command that reads z apply this one definition.
    /// </summary>
    public const float MaxLatentMagnitude = 1e4f;

    private readonly int _latentSize;
    private readonly int _imageSize;

    private VaeModel(string folder, OnnxGraph encoder, OnnxGraph decoder, VaeMetadata metadata)
    {
        Folder = folder;
        Encoder = encoder;
        Decoder = decoder;
        Metadata = metadata;
        _latentSize = metadata.LatentSize;
        _imageSize = metadata.ImageSize;
        HasLogits = decoder.Outputs.Any(o => o.Name == LogitsTensor);
    }

    /// <summary>
    /// Loads <paramref name="folder"/>/encoder.onnx and decoder.onnx, reads their metadata and checks that the graphs
    /// follow the model contract and fit each other. Throws InvalidModelException (what is wrong, in which file) or
    /// InferenceException (ONNX Runtime refused a file or the provider).
    /// </summary>
    public static VaeModel Load(string folder, InferenceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var fullFolder = Path.GetFullPath(folder);
        if (!Directory.Exists(fullFolder))
        {
            throw new InvalidModelException(fullFolder, File.Exists(fullFolder)
                ? $"'{folder}' is a file; pass the model folder that holds {EncoderFileName} and {DecoderFileName}."
                : $"Model folder '{folder}' does not exist; pass the folder that holds {EncoderFileName} and {DecoderFileName} (a trainer run's output).");
        }
        var encoderPath = Path.Combine(fullFolder, EncoderFileName);
        var decoderPath = Path.Combine(fullFolder, DecoderFileName);
        var missing = new[] { encoderPath, decoderPath }.Where(p => !File.Exists(p)).Select(Path.GetFileName).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidModelException(fullFolder,
                $"Model folder '{folder}' has no {string.Join(" or ", missing)}; a VaeOnnx model folder holds {EncoderFileName} and {DecoderFileName}.");
        }

        OnnxGraph? encoder = null, decoder = null;
        try
        {
            encoder = new OnnxGraph(encoderPath, options);
            decoder = new OnnxGraph(decoderPath, options);
            var metadata = ModelGraphCheck.Check(encoder, decoder);
            return new VaeModel(fullFolder, encoder, decoder, metadata);
        }
        catch
        {
            encoder?.Dispose();
            decoder?.Dispose();
            throw;
        }
    }

    /// <summary>What the model's metadata says: image shape (C, H, W), latent size L, likelihood and every property.</summary>
    public VaeMetadata Metadata { get; }

    /// <summary>Full path of the model folder.</summary>
    public string Folder { get; }

    /// <summary>The encoder graph; internal, so no caller reaches around the model's checks to its session.</summary>
    internal OnnxGraph Encoder { get; }

    /// <summary>The decoder graph (with its optional `logits` output); internal like Encoder.</summary>
    internal OnnxGraph Decoder { get; }

    /// <summary>The execution provider the graphs run on (Cpu after a permitted fallback).</summary>
    public ExecutionProvider Provider => Decoder.Provider;

    /// <summary>Why the requested provider was given up for the CPU, when AllowCpuFallback let it; otherwise null.</summary>
    public string? ProviderFallbackReason => Decoder.ProviderFallbackReason;

    /// <summary>What encoder.onnx declares: its path, inputs and outputs with their shapes, and its producer.</summary>
    public GraphInfo EncoderGraph => Encoder.Info;

    /// <summary>What decoder.onnx declares: its path, inputs and outputs (with the optional `logits`), and its producer.</summary>
    public GraphInfo DecoderGraph => Decoder.Info;

    /// <summary>Whether the decoder also offers pre-sigmoid `logits`.</summary>
    public bool HasLogits { get; }

    /// <summary>Decodes latents into images (N, C, H, W): probabilities for Bernoulli, means for Gaussian.</summary>
    public ImageBatch Decode(LatentBatch latents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(latents);
        return Decode(latents.Values, latents.Count, cancellationToken);
    }

    /// <summary>Decodes z (count, L) row-major into images (count, C, H, W).</summary>
    public ImageBatch Decode(ReadOnlySpan<float> z, int count, CancellationToken cancellationToken = default)
    {
        CheckCount(count, nameof(count));
        var images = new float[count * _imageSize];
        Decode(z, count, images, cancellationToken);
        return new ImageBatch(images, count, Metadata.Channels, Metadata.Height, Metadata.Width);
    }

    /// <summary>
    /// Decodes into <paramref name="destination"/> (count × C × H × W values), the hot path: once a batch size has been
    /// decoded, later calls with it allocate no managed memory (a cancellable token adds one small registration).
    /// </summary>
    public void Decode(ReadOnlySpan<float> z, int count, Span<float> destination, CancellationToken cancellationToken = default)
    {
        CheckCount(count, nameof(count));
        if (z.Length != count * _latentSize)
        {
            throw LengthError(z.Length, count * _latentSize, nameof(z), $"count × latent size = {count} × {_latentSize}");
        }
        if (destination.Length != count * _imageSize)
        {
            throw LengthError(destination.Length, count * _imageSize, nameof(destination), $"count × C × H × W = {count} × {_imageSize}");
        }
        CheckLatents(z, nameof(z), _latentSize);
        Decoder.Run(LatentTensor, z, [count, _latentSize], ImageTensor, destination, [count, Metadata.Channels, Metadata.Height, Metadata.Width],
            cancellationToken: cancellationToken);
        ModelOutputException.ThrowIfNotFinite(destination, Decoder.ModelPath, $"its '{ImageTensor}' output", _imageSize);
    }

    /// <summary>Runs the decoder into one named output (`image` or `logits`) for rows already checked by the caller.</summary>
    internal void DecodeOutput(string outputName, ReadOnlySpan<float> z, int count, Span<float> destination, CancellationToken cancellationToken) =>
        Decoder.Run(LatentTensor, z, [count, _latentSize], outputName, destination, [count, Metadata.Channels, Metadata.Height, Metadata.Width],
            cancellationToken: cancellationToken);

    /// <summary>Encodes images (count, C, H, W), pixel values as the model was trained on (e.g. [0, 1]).</summary>
    public EncodedBatch Encode(ImageBatch images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Encode(images.Values, images.Count, cancellationToken);
    }

    /// <summary>Encodes images (count, C, H, W) row-major.</summary>
    public EncodedBatch Encode(ReadOnlySpan<float> images, int count, CancellationToken cancellationToken = default)
    {
        CheckCount(count, nameof(count));
        CheckImages(images, count);
        var mu = new float[count * _latentSize];
        var logVar = new float[count * _latentSize];
        Encoder.Run(ImageTensor, images, [count, Metadata.Channels, Metadata.Height, Metadata.Width],
            MuTensor, mu, [count, _latentSize], LogVarTensor, logVar, [count, _latentSize], cancellationToken);
        ModelOutputException.ThrowIfNotFinite(mu, Encoder.ModelPath, $"its '{MuTensor}' output", _latentSize);
        ModelOutputException.ThrowIfNotFinite(logVar, Encoder.ModelPath, $"its '{LogVarTensor}' output", _latentSize);
        return new EncodedBatch(mu, logVar, count, _latentSize);
    }


    /// <summary>Draws count latents z ~ N(0, I) × temperature, determined by the seed; (count, L) row-major.</summary>
    public LatentBatch SampleLatents(int count, ulong seed, float temperature = 1f)
    {
        CheckCount(count, nameof(count));
        CheckTemperature(temperature);
        var z = new float[count * _latentSize];
        LatentMath.FillNormal(z, seed, temperature);
        return new LatentBatch(z, count, _latentSize);
    }

    /// <summary>Decodes count latents drawn from N(0, I) × temperature; the same seed gives the same images.</summary>
    public ImageBatch Sample(int count, ulong seed, float temperature = 1f, CancellationToken cancellationToken = default) =>
        Decode(SampleLatents(count, seed, temperature), cancellationToken);

    /// <summary>Encodes then decodes images (count, C, H, W); Sampled mode draws z from the posterior with the seed.</summary>
    public ImageBatch Reconstruct(ImageBatch images, ReconstructionMode mode = ReconstructionMode.Mean, ulong seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        return Reconstruct(images.Values, images.Count, mode, seed, cancellationToken);
    }

    /// <summary>Encodes then decodes images (count, C, H, W) row-major.</summary>
    public ImageBatch Reconstruct(ReadOnlySpan<float> images, int count, ReconstructionMode mode = ReconstructionMode.Mean, ulong seed = 0,
        CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use ReconstructionMode.Mean or ReconstructionMode.Sampled.");
        }
        var encoded = Encode(images, count, cancellationToken);
        var z = encoded.Mu;
        if (mode == ReconstructionMode.Sampled)
        {
            var eps = new float[z.Length];
            LatentMath.FillNormal(eps, seed);
            for (int i = 0; i < z.Length; i++)
            {
                z[i] += MathF.Exp(0.5f * encoded.LogVar[i]) * eps[i];
            }
        }
        return Decode(z, count, cancellationToken);
    }

    /// <summary>Decodes the latent path of InterpolateLatents: images (steps, C, H, W), endpoints included.</summary>
    public ImageBatch Interpolate(ReadOnlySpan<float> zFrom, ReadOnlySpan<float> zTo, int steps, InterpolationKind kind = InterpolationKind.Linear,
        CancellationToken cancellationToken = default) =>
        Decode(InterpolateLatents(zFrom, zTo, steps, kind), cancellationToken);

    /// <summary>The latent path from zFrom to zTo (each of length L): (steps, L), endpoints included.</summary>
    public LatentBatch InterpolateLatents(ReadOnlySpan<float> zFrom, ReadOnlySpan<float> zTo, int steps, InterpolationKind kind = InterpolationKind.Linear)
    {
        if (steps < 2 || steps > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"steps counts both endpoints: use 2 to {MaxCount}.");
        }
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use InterpolationKind.Linear or InterpolationKind.Spherical.");
        }
        if (zFrom.Length != _latentSize || zTo.Length != _latentSize)
        {
            throw zFrom.Length != _latentSize
                ? LengthError(zFrom.Length, _latentSize, nameof(zFrom), "the latent size")
                : LengthError(zTo.Length, _latentSize, nameof(zTo), "the latent size");
        }
        CheckLatents(zFrom, nameof(zFrom), _latentSize);
        CheckLatents(zTo, nameof(zTo), _latentSize);
        var path = new float[steps * _latentSize];
        LatentMath.Interpolate(zFrom, zTo, steps, kind, path);
        return new LatentBatch(path, steps, _latentSize);
    }

    /// <summary>Releases both ONNX Runtime sessions; waits for runs in flight. A call after Dispose throws ObjectDisposedException.</summary>
    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
    }

    internal static void CheckCount(int count, string name)
    {
        if (count < 1 || count > MaxCount)
        {
            throw new ArgumentOutOfRangeException(name, count, $"{name} must be 1 to {MaxCount} per call; split larger batches.");
        }
    }

    // Builds the message only on failure, so the checks cost no allocation on the zero-allocation decode path.
    private static ArgumentException LengthError(int actual, int expected, string name, string what) =>
        new($"{name} has {actual} values; expected {expected} ({what}).", name);

    /// <summary>Largest sampling temperature: the prior's spread times 10, far inside MaxLatentMagnitude for any draw.</summary>
    public const float MaxTemperature = 10f;

    /// <summary>Why <paramref name="temperature"/> cannot be used (null when it can), naming it as <paramref name="name"/>.</summary>
    public static string? TemperatureProblem(float temperature, string name = "temperature") =>
        float.IsFinite(temperature) && temperature >= 0 && temperature <= MaxTemperature
            ? null
            : $"{name} is {temperature:G6}; use a value from 0 to {MaxTemperature} (1 samples the prior the model was trained with).";

    private static void CheckTemperature(float temperature)
    {
        if (TemperatureProblem(temperature) is string problem)
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, problem);
        }
    }

    internal void CheckImages(ReadOnlySpan<float> images, int count)
    {
        if (images.Length != count * _imageSize)
        {
            throw LengthError(images.Length, count * _imageSize, nameof(images),
                $"count × C × H × W = {count} × {Metadata.Channels} × {Metadata.Height} × {Metadata.Width}");
        }
        CheckFinite(images, nameof(images), "pixel values", _imageSize, "image", "value");
    }

    /// <summary>Throws ArgumentException unless every value is finite with |z| at most <see cref="MaxLatentMagnitude"/>.</summary>
    public static void CheckLatents(ReadOnlySpan<float> z, string name, int latentSize)
    {
        CheckFinite(z, name, "latent vectors", latentSize, "sample", "dimension");
        for (int i = 0; i < z.Length; i++)
        {
            if (MathF.Abs(z[i]) > MaxLatentMagnitude)
            {
                throw new ArgumentException(LatentBoundMessage($"{name}[{i}] (sample {i / latentSize}, dimension {i % latentSize})", z[i]), name);
            }
        }
    }

    /// <summary>The one wording of a latent value over <see cref="MaxLatentMagnitude"/>; <paramref name="where"/> names the value.</summary>
    public static string LatentBoundMessage(string where, float value) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{where} is {value:G9}; latent values must be within ±{MaxLatentMagnitude:G} (|z| <= {MaxLatentMagnitude:G}, {MaxLatentMagnitude:G} standard deviations of the prior), so the decoder cannot overflow. Send smaller values.");

    private static void CheckFinite(ReadOnlySpan<float> values, string name, string what, int rowSize, string rowWord, string columnWord)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    $"{name}[{i}] ({rowWord} {i / rowSize}, {columnWord} {i % rowSize}) is {values[i]}; {what} must be finite numbers.", name);
            }
        }
    }
}
