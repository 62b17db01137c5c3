// The slice of a VAE that the service calls, and its one production implementation over VaeModel.
// It exists so that embedders (and tests) can hand the service a preloaded or wrapped model; it adds no behaviour of its own.
// The production implementation also reads what the model folder keeps beside the graphs when it loads: calibration.json
// (the anomaly threshold; a corrupt or stale one fails the load with the calibration's own message, like the `score`
// command), latent-points.json (the latent map's data; a corrupt one, or one of another latent size, fails the load
// too) and the examples/ listing.
using VaeOnnx.Runtime.Core.Examples;
using VaeOnnx.Runtime.Core.LatentMap;
using VaeOnnx.Runtime.Core.Scoring;

using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Runtime.AspNetCore;

/// <summary>What the HTTP service needs from a loaded model. Implementations must allow concurrent calls.</summary>
public interface IVaeInference : IDisposable
{
    /// <summary>The model's image shape, latent size and likelihood.</summary>
    VaeMetadata Metadata { get; }

    /// <summary>Decodes latents (N, L) into images (N, C, H, W).</summary>
    ImageBatch Decode(LatentBatch latents, CancellationToken cancellationToken);

    /// <summary>Posterior mu and logvar, each (N, L).</summary>
    EncodedBatch Encode(ImageBatch images, CancellationToken cancellationToken);

    /// <summary>The decoded reconstruction of each image.</summary>
    ImageBatch Reconstruct(ImageBatch images, ReconstructionMode mode, ulong seed, CancellationToken cancellationToken);

    /// <summary>The anomaly threshold stored beside the model (calibration.json), or null when there is none.</summary>
    ScoreCalibration? Calibration => null;

    /// <summary>The latent points stored beside the model (latent-points.json), or null when there are none.</summary>
    LatentPoints? LatentPoints => null;

    /// <summary>The example images stored beside the model (examples/), empty when there are none.</summary>
    IReadOnlyList<ModelExample> Examples => [];

    /// <summary>images is (count, C, H, W); returns each image's scores (VaeScorer.Score), stopping between decoder runs when cancelled.</summary>
    ImageScore[] Score(float[] images, int count, int samples, ulong seed, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} does not implement scoring; serve a VaeModelInference (or implement Score).");
}

/// <summary>Serves a <see cref="VaeModel"/> (its ONNX Runtime sessions are thread-safe for Run).</summary>
/// <param name="model">The model to serve; disposed with this.</param>
/// <exception cref="CalibrationException">The model folder's calibration.json is unreadable or was made for other model files.</exception>
public sealed class VaeModelInference(VaeModel model) : IVaeInference
{
    private readonly ScoreCalibration? _calibration = LoadCalibration(model);
    private readonly LatentPoints? _points = LoadPoints(model);
    private readonly IReadOnlyList<ModelExample> _examples = ModelExamples.List(model.Folder);

    /// <summary>The model's metadata (<see cref="VaeModel.Metadata"/>).</summary>
    public VaeMetadata Metadata => model.Metadata;

    /// <summary>The model folder's calibration.json, read and checked against the model files when this was created; null when there is none.</summary>
    public ScoreCalibration? Calibration => _calibration;

    /// <inheritdoc/>
    public LatentPoints? LatentPoints => _points;

    /// <inheritdoc/>
    public IReadOnlyList<ModelExample> Examples => _examples;

    /// <summary><see cref="VaeModel.Decode(LatentBatch, CancellationToken)"/>.</summary>
    public ImageBatch Decode(LatentBatch latents, CancellationToken cancellationToken) => model.Decode(latents, cancellationToken);

    /// <summary><see cref="VaeModel.Encode(ImageBatch, CancellationToken)"/>.</summary>
    public EncodedBatch Encode(ImageBatch images, CancellationToken cancellationToken) => model.Encode(images, cancellationToken);

    /// <summary><see cref="VaeModel.Reconstruct(ImageBatch, ReconstructionMode, ulong, CancellationToken)"/>.</summary>
    public ImageBatch Reconstruct(ImageBatch images, ReconstructionMode mode, ulong seed, CancellationToken cancellationToken) =>
        model.Reconstruct(images, mode, seed, cancellationToken);

    /// <summary><see cref="VaeScorer.Score(VaeModel, ReadOnlySpan{float}, int, int, ulong, CancellationToken)"/>.</summary>
    public ImageScore[] Score(float[] images, int count, int samples, ulong seed, CancellationToken cancellationToken) =>
        model.Score(images, count, samples, seed, cancellationToken);

    /// <summary>Disposes the model (its ONNX Runtime sessions).</summary>
    public void Dispose() => model.Dispose();

    private static ScoreCalibration? LoadCalibration(VaeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var calibration = ScoreCalibration.TryLoad(model.Folder);
        calibration?.CheckMatches(model.Folder);
        return calibration;
    }

    private static LatentPoints? LoadPoints(VaeModel model)
    {
        var points = LatentPoints.TryLoad(model.Folder);
        points?.CheckFits(model.Metadata, LatentPoints.PathIn(model.Folder));
        return points;
    }
}
