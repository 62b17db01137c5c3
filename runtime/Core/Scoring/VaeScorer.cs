// Scores a batch of images with a VaeModel (see README.md for the definitions): encodes once, then for every image
// draws k latents z_i = mu + exp(logvar / 2) eps_i (eps from ScoreNoise), decodes them in chunks of rows that mix
// images and samples, and accumulates per image the reconstruction term, the sampled KL and the IWAE log-mean-exp.
// Parallelism: each decoder run is spread over cores by ONNX Runtime itself; the per-row log-likelihoods of a chunk
// are computed with Parallel.For; the accumulation runs in row order, so a seed gives the same bits on any machine
// with any thread count. Memory is bounded by the chunk, not by k. A decoder that outputs NaN fails the call with one
// ModelOutputException (the model's fault), checked once per chunk.
// Score is an extension of VaeModel: scoring builds on the model, and the model does not know about scoring.
// It deliberately does no file IO.
namespace VaeOnnx.Runtime.Core.Scoring;

/// <summary>Anomaly scores from a <see cref="VaeModel"/> (an extension: <c>model.Score(...)</c>): the negative ELBO split into reconstruction and KL, and the importance-weighted estimate of -log p(x), in nats per image.</summary>
public static class VaeScorer
{
    /// <summary>
    /// Decoder output values per chunk (1 MiB of floats): bounds a call's working memory for any image size and k. The
    /// chunk's buffers belong to the call (allocated once per call, not rented from the process-wide ArrayPool, which
    /// keeps returned multi-megabyte arrays per thread and per core until memory pressure trims them).
    /// </summary>
    private const int ChunkValues = 1 << 18;

    /// <summary>Below this many output values a chunk's likelihoods are computed on the calling thread.</summary>
    private const int ParallelThreshold = 1 << 15;

    /// <summary>
    /// Scores images (count, C, H, W) with k = <paramref name="samples"/> posterior draws each: the negative ELBO split
    /// into reconstruction and KL, and the importance-weighted estimate of -log p(x), in nats per image
    /// (definitions in runtime/Core/Scoring/README.md). Higher means less likely under the model. The draws are a function
    /// of the seed and the image's pixels only, so an image gets the same score in any batch.
    /// </summary>
    public static ImageScore[] Score(this VaeModel model, ReadOnlySpan<float> images, int count, int samples = 1, ulong seed = 0) =>
        Score(model, images, count, samples, seed, CancellationToken.None);

    /// <summary>Score, stopping between decoder runs when <paramref name="cancellationToken"/> is cancelled.</summary>
    public static ImageScore[] Score(this VaeModel model, ReadOnlySpan<float> images, int count, int samples, ulong seed, CancellationToken cancellationToken)
    {
        VaeModel.CheckCount(count, nameof(count));
        ScoreSamples.Check(samples, nameof(samples));
        model.CheckImages(images, count);
        if (model.Metadata.Likelihood == Likelihood.Bernoulli)
        {
            for (int i = 0; i < images.Length; i++)
            {
                if (images[i] is < 0 or > 1)
                {
                    throw new ArgumentException(
                        $"images[{i}] (image {i / model.Metadata.ImageSize}, value {i % model.Metadata.ImageSize}) is {images[i]}; a Bernoulli model scores pixel values in [0, 1].", nameof(images));
                }
            }
        }
        return Run(model, images, count, samples, seed, cancellationToken);
    }

    private static ImageScore[] Run(VaeModel model, ReadOnlySpan<float> images, int count, int samples, ulong seed, CancellationToken cancellationToken)
    {
        var likelihood = PixelLikelihood.For(model);
        var encoded = model.Encode(images, count);
        int latentSize = model.Metadata.LatentSize;
        int imageSize = model.Metadata.ImageSize;
        var m = model.Metadata;

        var logVar = new double[count * latentSize];
        var sigma = new double[count * latentSize];
        var keys = new ulong[count];
        var kl = new double[count];
        for (int n = 0; n < count; n++)
        {
            for (int l = 0; l < latentSize; l++)
            {
                int j = n * latentSize + l;
                logVar[j] = LogLikelihood.ClampLogVar(encoded.LogVar[j]);
                sigma[j] = Math.Exp(0.5 * logVar[j]);
            }
            keys[n] = ScoreNoise.KeyFor(seed, images.Slice(n * imageSize, imageSize));
            kl[n] = LogLikelihood.GaussianKl(encoded.Mu.AsSpan(n * latentSize, latentSize), logVar.AsSpan(n * latentSize, latentSize));
        }

        int chunkRows = Math.Clamp(ChunkValues / imageSize, 1, VaeModel.MaxCount);
        long totalRows = (long)count * samples;
        chunkRows = (int)Math.Min(chunkRows, totalRows);
        var eps = new float[chunkRows * latentSize];
        var z = new float[chunkRows * latentSize];
        var decoded = GC.AllocateUninitializedArray<float>(chunkRows * imageSize);
        var logPx = new double[chunkRows];
        var logQOverP = new double[chunkRows];
        var weights = new LogMeanExp[count];
        var reconstruction = new double[count];
        var sampledKl = new double[count];
        var imageCopy = images.ToArray();
        for (long start = 0; start < totalRows; start += chunkRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = (int)Math.Min(chunkRows, totalRows - start);
            DrawLatents(encoded.Mu, sigma, keys, samples, latentSize, start, rows, eps, z);
            model.DecodeOutput(likelihood.OutputName, z.AsSpan(0, rows * latentSize), rows, decoded.AsSpan(0, rows * imageSize), cancellationToken);
            ThrowIfNaN(model, likelihood.OutputName, decoded.AsSpan(0, rows * imageSize), imageSize);

            void RowTerms(int r)
            {
                int n = (int)((start + r) / samples);
                var x = imageCopy.AsSpan(n * imageSize, imageSize);
                logPx[r] = likelihood.LogProbability(x, decoded.AsSpan(r * imageSize, imageSize));
                var lv = logVar.AsSpan(n * latentSize, latentSize);
                logQOverP[r] = LogLikelihood.DiagonalNormalAtNoise(eps.AsSpan(r * latentSize, latentSize), lv)
                    - LogLikelihood.StandardNormal(z.AsSpan(r * latentSize, latentSize));
            }
            if ((long)rows * imageSize >= ParallelThreshold)
            {
                Parallel.For(0, rows, new ParallelOptions { CancellationToken = cancellationToken }, RowTerms);
            }
            else
            {
                for (int r = 0; r < rows; r++)
                {
                    RowTerms(r);
                }
            }

            for (int r = 0; r < rows; r++)
            {
                int n = (int)((start + r) / samples);
                reconstruction[n] -= logPx[r];
                sampledKl[n] += logQOverP[r];
                weights[n].Add(logPx[r] - logQOverP[r]);
            }
        }

        var scores = new ImageScore[count];
        for (int n = 0; n < count; n++)
        {
            scores[n] = new ImageScore(reconstruction[n] / samples, kl[n], sampledKl[n] / samples, -weights[n].Result, samples);
            if (!double.IsFinite(scores[n].NegativeLogLikelihood) || !double.IsFinite(scores[n].NegativeElbo) || !double.IsFinite(scores[n].SampledNegativeElbo))
            {
                throw new ModelOutputException(Path.Combine(model.Folder, VaeContract.DecoderFileName),
                    $"The scores of image {n} are not finite ({scores[n]}); the model's outputs overflow: check or re-export the model.");
            }
        }
        return scores;
    }

    // Rows start .. start + rows - 1 of the (image, sample) grid, image-major: eps from each image's noise stream at
    // the sample's own index, z = mu + sigma * eps.
    private static void DrawLatents(float[] mu, double[] sigma, ulong[] keys, int samples, int latentSize, long start, int rows, float[] eps, float[] z)
    {
        int r = 0;
        while (r < rows)
        {
            long row = start + r;
            int n = (int)(row / samples);
            int sample = (int)(row % samples);
            int run = Math.Min(rows - r, samples - sample);
            ScoreNoise.Fill(keys[n], sample, latentSize, eps.AsSpan(r * latentSize, run * latentSize));
            for (int i = 0; i < run; i++)
            {
                for (int l = 0; l < latentSize; l++)
                {
                    int j = (r + i) * latentSize + l;
                    z[j] = (float)Math.Clamp(mu[n * latentSize + l] + sigma[n * latentSize + l] * eps[j], -float.MaxValue, float.MaxValue);
                }
            }
            r += run;
        }
    }

    // Checked once per chunk, before the parallel likelihoods, so a broken model fails with one ModelOutputException
    // (not an AggregateException from Parallel.For). Infinities stay: the likelihoods read them as +-float.MaxValue.
    private static void ThrowIfNaN(VaeModel model, string outputName, ReadOnlySpan<float> decoded, int imageSize)
    {
        for (int i = 0; i < decoded.Length; i++)
        {
            if (float.IsNaN(decoded[i]))
            {
                throw ModelOutputException.For(Path.Combine(model.Folder, VaeContract.DecoderFileName), $"its '{outputName}' output", decoded[i], i / imageSize);
            }
        }
    }
}
