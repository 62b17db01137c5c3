// The trainer's likelihood evaluation through the runtime: the network is exported to a temporary folder (the same
// graphs `export` writes), loaded as a VaeModel, and every test image is scored with VaeScorer.Score, so the ELBO and
// IWAE math exists once, in runtime/Scoring. Reports per-image means with standard errors, in nats.
// It deliberately keeps no files: the temporary export is deleted afterwards.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Models;

using VaeOnnx.Runtime.Core.Inference;

namespace VaeOnnx.Trainer.Scoring;

/// <param name="NegativeLogLikelihood">Mean IWAE estimate of -log p(x) with k = Samples.</param>
/// <param name="NegativeElbo">Mean -ELBO: reconstruction averaged over the same k draws + analytic KL.</param>
public sealed record LikelihoodEstimate(int Count, int Samples, MeanWithError NegativeLogLikelihood, MeanWithError NegativeElbo,
    MeanWithError Reconstruction, MeanWithError Kl);

public static class OnnxEvaluation
{
    /// <summary>Scores <paramref name="test"/> with k = <paramref name="samples"/>; <paramref name="progress"/> gets the images done.</summary>
    public static LikelihoodEstimate Run(VaeNetwork network, ImageDataset test, int samples, ulong seed, InferenceOptions? options = null,
        Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(test);
        string folder = Path.Combine(Path.GetTempPath(), $"vaeonnx-evaluate-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            VaeExporter.Export(ModelExport.SourceOf(network), ModelExport.MetadataOf(network, test.Name, 0, null), folder);
            using var model = VaeModel.Load(folder, options);
            var scores = DatasetScoring.Score(model, test, samples, seed, progress, cancellationToken);
            return new LikelihoodEstimate(scores.Length, samples,
                MeanWithError.Of(scores.Select(s => s.NegativeLogLikelihood).ToArray()),
                MeanWithError.Of(scores.Select(s => s.NegativeElbo).ToArray()),
                MeanWithError.Of(scores.Select(s => s.Reconstruction).ToArray()),
                MeanWithError.Of(scores.Select(s => s.Kl).ToArray()));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
