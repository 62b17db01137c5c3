// Scores a list of image files with a model in batches (ImageInputs reads each batch, VaeScorer.Score scores it), so
// `score` and `calibrate` take any number of images with bounded memory. Errors name the file (ImageInputs).
using VaeOnnx.Runtime.Core.Imaging;
using VaeOnnx.Runtime.Core.Scoring;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.Host.Cli;

public static class FileScoring
{
    /// <summary>Images read and scored per VaeScorer.Score call.</summary>
    public const int BatchSize = 256;

    /// <summary>The scores of <paramref name="files"/>, read with <paramref name="read"/> (notes to <paramref name="notes"/>).</summary>
    public static ImageScore[] Score(VaeModel model, IReadOnlyList<string> files, int samples, ulong seed, ImageReadOptions? read = null, TextWriter? notes = null)
    {
        var scores = new ImageScore[files.Count];
        for (int start = 0; start < files.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, files.Count - start);
            var batch = files.Skip(start).Take(count).ToArray();
            var images = ImageInputs.Load(batch, model.Metadata, read, notes);
            model.Score(images, count, samples, seed).CopyTo(scores, start);
        }
        return scores;
    }
}
