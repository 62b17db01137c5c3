// A trained VAE ready to serve: the encoder.onnx / decoder.onnx pair of a model folder, checked against each other,
// with the operations built on them (decode, encode, sample, reconstruct, interpolate, score).
// Thread-safe: every method may be called concurrently on one instance (ONNX Runtime sessions allow concurrent runs).
// Every public method validates its arguments (counts, lengths, finite values) before anything runs.
// It deliberately does no image file IO (see Imaging) and no training.
using VaeOnnx.Runtime.Native;
using VaeOnnx.Runtime.Scoring;

namespace VaeOnnx.Runtime;

public sealed class VaeModel : IDisposable
{
    public const string EncoderFileName = "encoder.onnx";
    public const string DecoderFileName = "decoder.onnx";

    /// <summary>Largest batch (images or latents) one call accepts.</summary>
    public const int MaxCount = 4096;

    private readonly int _latentSize;
    private readonly int _imageSize;

    private VaeModel(string folder, InferenceSession encoder, InferenceSession decoder, VaeMetadata metadata)
    {
        Folder = folder;
        Encoder = encoder;
        Decoder = decoder;
        Metadata = metadata;
        _latentSize = metadata.LatentSize;
        _imageSize = metadata.ImageSize;
        HasLogits = decoder.Outputs.Any(o => o.Name == VaeModelContract.LogitsName);
    }

    /// <summary>
    /// Loads <paramref name="folder"/>/encoder.onnx and decoder.onnx, reads their metadata and checks that the graphs
    /// follow the model contract and fit each other. Throws InvalidModelException (what is wrong, in which file) or
    /// OnnxRuntimeException (the native library refused a file or the provider).
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

        InferenceSession? encoder = null, decoder = null;
        try
        {
            encoder = new InferenceSession(encoderPath, options);
            decoder = new InferenceSession(decoderPath, options);
            var metadata = VaeModelContract.Check(encoder, decoder);
            return new VaeModel(fullFolder, encoder, decoder, metadata);
        }
        catch
        {
            encoder?.Dispose();
            decoder?.Dispose();
            throw;
        }
    }

    public VaeMetadata Metadata { get; }

    /// <summary>Full path of the model folder.</summary>
    public string Folder { get; }

    /// <summary>The encoder graph, for callers that need more than the operations here.</summary>
    public InferenceSession Encoder { get; }

    /// <summary>The decoder graph; its optional `logits` output is reachable through it.</summary>
    public InferenceSession Decoder { get; }

    /// <summary>Whether the decoder also offers pre-sigmoid `logits`.</summary>
    public bool HasLogits { get; }

    /// <summary>Decodes z (count, L) into images (count, C, H, W): probabilities for Bernoulli, means for Gaussian.</summary>
    public float[] Decode(ReadOnlySpan<float> z, int count)
    {
        CheckCount(count, nameof(count));
        var images = new float[count * _imageSize];
        Decode(z, count, images);
        return images;
    }

    /// <summary>Decodes into <paramref name="destination"/> (count × C × H × W values); allocates no managed memory.</summary>
    public void Decode(ReadOnlySpan<float> z, int count, Span<float> destination)
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
        CheckFinite(z, nameof(z), "latent vectors", _latentSize, "sample", "dimension");
        Span<long> zShape = [count, _latentSize];
        Span<long> imageShape = [count, Metadata.Channels, Metadata.Height, Metadata.Width];
        Decoder.Run(VaeModelContract.LatentName, z, zShape, VaeModelContract.ImageName, destination, imageShape);
    }

    /// <summary>Encodes images (count, C, H, W), pixel values as the model was trained on (e.g. [0, 1]).</summary>
    public unsafe EncodedBatch Encode(ReadOnlySpan<float> images, int count)
    {
        CheckCount(count, nameof(count));
        CheckImages(images, count);
        var mu = new float[count * _latentSize];
        var logVar = new float[count * _latentSize];
        long[] latentShape = [count, _latentSize];
        fixed (float* pImages = images)
        {
            var input = new TensorInput(VaeModelContract.ImageName, new SpanMemory(pImages, images.Length).Memory,
                [count, Metadata.Channels, Metadata.Height, Metadata.Width]);
            Encoder.Run([input], [
                new TensorOutput(VaeModelContract.MuName, mu, latentShape),
                new TensorOutput(VaeModelContract.LogVarName, logVar, latentShape),
            ]);
        }
        return new EncodedBatch(mu, logVar, count, _latentSize);
    }

    /// <summary>Most posterior samples per image one Score call accepts.</summary>
    public const int MaxScoreSamples = 100_000;

    /// <summary>
    /// Scores images (count, C, H, W) with k = <paramref name="samples"/> posterior draws each: the negative ELBO split
    /// into reconstruction and KL, and the importance-weighted estimate of -log p(x), in nats per image
    /// (definitions in runtime/Scoring/README.md). Higher means less likely under the model. The draws are a function
    /// of the seed and the image's pixels only, so an image gets the same score in any batch.
    /// </summary>
    public ImageScore[] Score(ReadOnlySpan<float> images, int count, int samples = 1, ulong seed = 0) =>
        Score(images, count, samples, seed, CancellationToken.None);

    /// <summary>Score, stopping between decoder runs when <paramref name="cancellationToken"/> is cancelled.</summary>
    public ImageScore[] Score(ReadOnlySpan<float> images, int count, int samples, ulong seed, CancellationToken cancellationToken)
    {
        CheckCount(count, nameof(count));
        if (samples < 1 || samples > MaxScoreSamples)
        {
            throw new ArgumentOutOfRangeException(nameof(samples), samples,
                $"samples is {samples}; use 1 to {MaxScoreSamples} posterior draws per image (1 gives the single-sample ELBO estimate).");
        }
        CheckImages(images, count);
        if (Metadata.Likelihood == Likelihood.Bernoulli)
        {
            for (int i = 0; i < images.Length; i++)
            {
                if (images[i] is < 0 or > 1)
                {
                    throw new ArgumentException(
                        $"images[{i}] (image {i / _imageSize}, value {i % _imageSize}) is {images[i]}; a Bernoulli model scores pixel values in [0, 1].", nameof(images));
                }
            }
        }
        return VaeScorer.Score(this, images, count, samples, seed, cancellationToken);
    }

    /// <summary>Draws count latents z ~ N(0, I) × temperature, determined by the seed; (count, L) row-major.</summary>
    public float[] SampleLatents(int count, ulong seed, float temperature = 1f)
    {
        CheckCount(count, nameof(count));
        CheckTemperature(temperature);
        var z = new float[count * _latentSize];
        LatentMath.FillNormal(z, seed, temperature);
        return z;
    }

    /// <summary>Decodes count latents drawn from N(0, I) × temperature; the same seed gives the same images.</summary>
    public float[] Sample(int count, ulong seed, float temperature = 1f) => Decode(SampleLatents(count, seed, temperature), count);

    /// <summary>Encodes then decodes images (count, C, H, W); Sampled mode draws z from the posterior with the seed.</summary>
    public float[] Reconstruct(ReadOnlySpan<float> images, int count, ReconstructionMode mode = ReconstructionMode.Mean, ulong seed = 0)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use ReconstructionMode.Mean or ReconstructionMode.Sampled.");
        }
        var encoded = Encode(images, count);
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
        return Decode(z, count);
    }

    /// <summary>Decodes the latent path of InterpolateLatents: images (steps, C, H, W), endpoints included.</summary>
    public float[] Interpolate(ReadOnlySpan<float> zFrom, ReadOnlySpan<float> zTo, int steps, InterpolationKind kind = InterpolationKind.Linear) =>
        Decode(InterpolateLatents(zFrom, zTo, steps, kind), steps);

    /// <summary>The latent path from zFrom to zTo (each of length L): (steps, L), endpoints included.</summary>
    public float[] InterpolateLatents(ReadOnlySpan<float> zFrom, ReadOnlySpan<float> zTo, int steps, InterpolationKind kind = InterpolationKind.Linear)
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
        CheckFinite(zFrom, nameof(zFrom), "latent vectors", _latentSize, "sample", "dimension");
        CheckFinite(zTo, nameof(zTo), "latent vectors", _latentSize, "sample", "dimension");
        var path = new float[steps * _latentSize];
        LatentMath.Interpolate(zFrom, zTo, steps, kind, path);
        return path;
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
    }

    private static void CheckCount(int count, string name)
    {
        if (count < 1 || count > MaxCount)
        {
            throw new ArgumentOutOfRangeException(name, count, $"{name} must be 1 to {MaxCount} per call; split larger batches.");
        }
    }

    // Builds the message only on failure, so the checks cost no allocation on the zero-allocation decode path.
    private static ArgumentException LengthError(int actual, int expected, string name, string what) =>
        new($"{name} has {actual} values; expected {expected} ({what}).", name);

    private static void CheckTemperature(float temperature)
    {
        if (!float.IsFinite(temperature) || temperature < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature,
                $"temperature is {temperature}; use a finite value >= 0 (1 samples the prior the model was trained with).");
        }
    }

    private void CheckImages(ReadOnlySpan<float> images, int count)
    {
        if (images.Length != count * _imageSize)
        {
            throw LengthError(images.Length, count * _imageSize, nameof(images),
                $"count × C × H × W = {count} × {Metadata.Channels} × {Metadata.Height} × {Metadata.Width}");
        }
        CheckFinite(images, nameof(images), "pixel values", _imageSize, "image", "value");
    }

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
