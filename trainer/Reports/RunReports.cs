// The pictures of a finished run, drawn with the trainer's own network (identical to the exported graphs, as the
// export check has just shown) and the runtime's PNG tools:
//   loss.png             train and test loss per epoch (nats per image)
//   samples.png          64 images decoded from z ~ N(0, I)
//   reconstructions.png  test images (odd rows) above their reconstructions from the posterior mean (even rows)
//   interpolation.png    linear paths in latent space between the means of pairs of test images
//   manifold.png         (a planar latent space, VaeArchitecture.HasPlanarLatent) decoded over a 20 x 20 grid of z at
//                        N(0, 1) quantiles
//   latent-scatter.png   (a planar latent space) test-set posterior means coloured by label
// Randomness comes from a generator seeded by the run's seed, so pictures are reproducible.
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Trainer.Reports;

public static class RunReports
{
    public const int ManifoldSide = 20;

    /// <summary>Images in samples.png.</summary>
    public const int SampleCount = 64;

    /// <summary>Writes every picture that applies; returns their paths.</summary>
    public static IReadOnlyList<string> Write(VaeNetwork network, TrainingState state, ImageDataset test, string runFolder, ulong seed)
    {
        var written = new List<string>();
        void Save(PixelImage image, string name)
        {
            string path = Path.Combine(runFolder, name);
            ImageFile.WritePng(image, path);
            written.Add(path);
        }

        Save(LossCurve.Draw(state.History), RunFiles.LossPlot);
        Save(Samples(network, seed), RunFiles.Samples);
        Save(Reconstructions(network, test), RunFiles.Reconstructions);
        Save(Interpolations(network, test), RunFiles.Interpolation);
        if (network.Architecture.HasPlanarLatent)
        {
            Save(Manifold(network), RunFiles.Manifold);
            Save(LatentScatter.Draw(Means(network, test), test.Labels, test.LabelNames), RunFiles.LatentScatter);
        }
        return written;
    }

    public static PixelImage Samples(VaeNetwork network, ulong seed, int count = SampleCount)
    {
        var random = RandomSource.ForStream(seed, 0x5A3D_1E50_0000_0006UL);
        var z = new Tensor(count, network.Architecture.LatentSize);
        random.FillGaussian(z.Span);
        return Grid(network.Decode(z).Span, count, network.Architecture, new ImageGridOptions { Columns = 8, Scale = Upscale(network), Title = "samples from the prior" });
    }

    public static PixelImage Reconstructions(VaeNetwork network, ImageDataset test, int pairsOfRows = 4, int columns = 8)
    {
        VaeArchitecture a = network.Architecture;
        int count = Math.Min(pairsOfRows * columns, test.Count);
        int rows = (count + columns - 1) / columns;
        float[] originals = test.Pixels.AsSpan(0, count * a.ImageSize).ToArray();
        float[] reconstructed = DecodeMeans(network, originals, count);
        // Interleave: a row of originals, then the same images reconstructed.
        float[] tiles = new float[2 * rows * columns * a.ImageSize];
        var labels = new List<string?>();
        for (int r = 0; r < rows; r++)
        {
            for (int half = 0; half < 2; half++)
            {
                labels.Add(half == 0 ? "original" : "decoded");
                for (int c = 0; c < columns; c++)
                {
                    int index = r * columns + c;
                    if (index >= count)
                    {
                        continue;
                    }
                    float[] source = half == 0 ? originals : reconstructed;
                    source.AsSpan(index * a.ImageSize, a.ImageSize).CopyTo(tiles.AsSpan(((2 * r + half) * columns + c) * a.ImageSize));
                }
            }
        }
        return Grid(tiles, 2 * rows * columns, a, new ImageGridOptions { Columns = columns, Scale = Upscale(network), RowLabels = labels, Title = "test images and reconstructions" });
    }

    public static PixelImage Interpolations(VaeNetwork network, ImageDataset test, int paths = 4, int steps = 10)
    {
        VaeArchitecture a = network.Architecture;
        int pairs = Math.Max(1, Math.Min(paths, test.Count / 2));
        float[] ends = test.Pixels.AsSpan(0, Math.Min(2 * pairs, test.Count) * a.ImageSize).ToArray();
        float[] mu = Means(network, ends, Math.Min(2 * pairs, test.Count));
        int latent = a.LatentSize;
        var z = new Tensor(pairs * steps, latent);
        Span<float> path = z.Span;
        for (int p = 0; p < pairs; p++)
        {
            int from = 2 * p, to = Math.Min(2 * p + 1, test.Count - 1);
            for (int s = 0; s < steps; s++)
            {
                float t = s / (float)(steps - 1);
                for (int d = 0; d < latent; d++)
                {
                    path[(p * steps + s) * latent + d] = (1 - t) * mu[from * latent + d] + t * mu[to * latent + d];
                }
            }
        }
        return Grid(network.Decode(z).Span, pairs * steps, a, new ImageGridOptions { Columns = steps, Scale = Upscale(network), Title = "latent interpolation between test images" });
    }

    public static PixelImage Manifold(VaeNetwork network)
    {
        if (!network.Architecture.HasPlanarLatent)
        {
            throw new InvalidOperationException($"The manifold picture needs a 2-D latent space; this model has {network.Architecture.LatentSize}.");
        }
        int n = ManifoldSide;
        var z = new Tensor(n * n, 2);
        Span<float> values = z.Span;
        for (int row = 0; row < n; row++)
        {
            for (int column = 0; column < n; column++)
            {
                // z1 grows to the right, z2 grows upwards; quantiles at (i + 0.5) / n.
                values[(row * n + column) * 2] = (float)NormalQuantile.Of((column + 0.5) / n);
                values[(row * n + column) * 2 + 1] = (float)NormalQuantile.Of((n - row - 0.5) / n);
            }
        }
        return Grid(network.Decode(z).Span, n * n, network.Architecture, new ImageGridOptions { Columns = n, Padding = 0, Title = "decoded over N(0,1) quantiles of z" });
    }

    /// <summary>Posterior means of the dataset's images, (N, L) row-major.</summary>
    public static float[] Means(VaeNetwork network, ImageDataset data) => Means(network, data.Pixels, data.Count);

    private static float[] Means(VaeNetwork network, float[] images, int count)
    {
        VaeArchitecture a = network.Architecture;
        float[] means = new float[count * a.LatentSize];
        const int chunk = 256;
        var batch = new Tensor(1);
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            batch.Resize(n, a.Channels, a.Height, a.Width);
            images.AsSpan(start * a.ImageSize, n * a.ImageSize).CopyTo(batch.Span);
            network.Encode(batch).Mu.Span.CopyTo(means.AsSpan(start * a.LatentSize));
        }
        return means;
    }

    private static float[] DecodeMeans(VaeNetwork network, float[] images, int count)
    {
        float[] mu = Means(network, images, count);
        var z = new Tensor(count, network.Architecture.LatentSize);
        mu.CopyTo(z.Span);
        return network.Decode(z).Span.ToArray();
    }

    // Gaussian means may leave [0, 1]; FromPlanar clamps when it converts to 8 bits.
    private static PixelImage Grid(ReadOnlySpan<float> images, int count, VaeArchitecture a, ImageGridOptions options) =>
        ImageGrid.FromPlanarBatch(images, count, a.Channels, a.Height, a.Width, options);

    private static int Upscale(VaeNetwork network) => Math.Max(1, 56 / Math.Max(network.Architecture.Height, network.Architecture.Width));
}
