// Scores every image of an ImageDataset with the runtime's VaeScorer.Score (the one implementation of the ELBO and
// IWAE math, on the exported ONNX graphs) and summarises a set of scores as means with standard errors.
// Images go to Score in groups sized so each call decodes about 16k (image, sample) rows: one image at a time for
// k = 5000 would leave chunks half empty, hundreds at a time for k = 1 keeps ONNX Runtime's batches large.
// It deliberately does no training and no file IO.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Trainer.Data;

namespace VaeOnnx.Trainer.Scoring;

public static class DatasetScoring
{
    private const int RowsPerCall = 16384;

    /// <summary>Scores of every image of <paramref name="data"/>, in order; <paramref name="progress"/> gets the count done after each group.</summary>
    public static ImageScore[] Score(VaeModel model, ImageDataset data, int samples, ulong seed, Action<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var m = model.Metadata;
        if (data.Channels != m.Channels || data.Height != m.Height || data.Width != m.Width)
        {
            throw new ArgumentException(
                $"{data.Name} holds {data.Channels}x{data.Height}x{data.Width} images; the model takes {m.Channels}x{m.Height}x{m.Width}.", nameof(data));
        }
        int group = Math.Clamp(RowsPerCall / Math.Max(1, samples), 1, 256);
        var scores = new ImageScore[data.Count];
        for (int start = 0; start < data.Count; start += group)
        {
            int count = Math.Min(group, data.Count - start);
            var images = data.Pixels.AsSpan(start * data.ImageSize, count * data.ImageSize);
            model.Score(images, count, samples, seed, cancellationToken).CopyTo(scores, start);
            progress?.Invoke(start + count);
        }
        return scores;
    }
}
