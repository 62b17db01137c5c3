// The shipped binarized-MNIST model (models/mnist-binarized) as its model card describes it:
//   - its graphs are its checkpoint's network: the same images through both encoders and the same z through both
//     decoders agree (ExportParity, 1e-4), so the checkpoint that resumes the run is the model that is served;
//   - the runtime's score on the shipped graphs (VaeScorer.Score, what `vaeonnx-runtime score` and POST /v1/score run)
//     agrees with the trainer's evaluate (OnnxEvaluation from the checkpoint, what `evaluate --iw-samples` runs) on the
//     first test images, binarized with the fixed seed, for the same k and noise seed;
//   - an independent estimate from the training engine's own importance-weighted bound (ImportanceWeightedBound, its
//     own noise) lands within the estimators' spread of the runtime's, image by image;
//   - the service loads it whole: its calibration.json (made for these graphs), latent-points.json and examples/.
using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Losses;
using VaeOnnx.Trainer.Export;
using VaeOnnx.Trainer.Models;
using VaeOnnx.Trainer.Scoring;
using VaeOnnx.Trainer.Training;

namespace VaeOnnx.Tests.Models;

public class MnistBinarizedTests
{
    private const int Images = 12;
    private const int Samples = 256;
    private const ulong Seed = 21;

    private static string Folder => Path.Combine(RepositoryPaths.Root, "models", "mnist-binarized");

    private static readonly Lazy<(TrainingCheckpoint Checkpoint, ImageDataset Test)> Shipped = new(() =>
    {
        TrainingCheckpoint checkpoint = TrainingCheckpoint.Load(Path.Combine(Folder, RunFiles.Checkpoint));
        DatasetRequest request = checkpoint.State.Config.Data with { DataFolder = RepositoryPaths.MnistFolder, TrainLimit = 1, TestLimit = Images };
        return (checkpoint, DatasetLoader.Load(request, downloader: null).Test);
    });

    [Test]
    public void TheGraphsAreTheCheckpointsNetwork()
    {
        (TrainingCheckpoint checkpoint, ImageDataset test) = Shipped.Value;
        Assert.That(checkpoint.Network.Architecture.Kind, Is.EqualTo(VaeKind.Resconv));
        Assert.That(checkpoint.State.Config.Data.Binarize, Is.EqualTo(Binarization.Dynamic));
        ParityReport parity = ExportParity.Measure(checkpoint.Network, Folder, test.Pixels, test.Count);
        TestContext.Out.WriteLine(parity);
        Assert.That(parity.Passed, parity.ToString());
    }

    [Test]
    public void TheRuntimesScoreAgreesWithTheTrainersEvaluate()
    {
        (TrainingCheckpoint checkpoint, ImageDataset test) = Shipped.Value;
        LikelihoodEstimate evaluate = OnnxEvaluation.Run(checkpoint.Network, test, Samples, Seed);
        using VaeModel model = VaeModel.Load(Folder);
        ImageScore[] scores = model.Score(test.Pixels, test.Count, Samples, Seed);

        double nll = scores.Average(s => s.NegativeLogLikelihood), elbo = scores.Average(s => s.NegativeElbo);
        TestContext.Out.WriteLine($"first {Images} test images, k = {Samples}: evaluate -log p(x) {evaluate.NegativeLogLikelihood}, -ELBO {evaluate.NegativeElbo}; " +
            $"runtime score {nll:F4}, {elbo:F4}");
        Assert.That(nll, Is.EqualTo(evaluate.NegativeLogLikelihood.Mean).Within(1e-6 * nll), "-log p(x)");
        Assert.That(elbo, Is.EqualTo(evaluate.NegativeElbo.Mean).Within(1e-6 * elbo), "-ELBO");
        Assert.That(nll, Is.LessThan(elbo), "the importance-sampled estimate is tighter than the ELBO");
    }

    // The runtime's estimate and the engine's use different noise, so they agree only within the estimator's spread,
    // which the test measures: the runtime scored again with another seed. The engine's estimate must differ from the
    // runtime's about as much as the runtime's two estimates differ from each other (root mean square), and the mean
    // difference must be within three of its standard errors: a missing or doubled term would move every image by the
    // same few nats or more.
    [Test]
    public void TheEnginesOwnBoundAgreesWithTheRuntimeWithinTheEstimatorsSpread()
    {
        (TrainingCheckpoint checkpoint, ImageDataset test) = Shipped.Value;
        using VaeModel model = VaeModel.Load(Folder);
        ImageScore[] scores = model.Score(test.Pixels, test.Count, Samples, Seed);

        // One image at a time (K decoder rows each), noise from its own generator.
        VaeNetwork network = checkpoint.Network;
        var bound = new ImportanceWeightedBound();
        var reconstruction = new BernoulliNll();
        var noise = new RandomSource(Seed + 1);
        var image = new Tensor(1, test.Channels, test.Height, test.Width);
        var repeated = new Tensor(Samples, test.Channels, test.Height, test.Width);
        double[] engine = new double[test.Count];
        for (int i = 0; i < test.Count; i++)
        {
            ReadOnlySpan<float> pixels = test.Pixels.AsSpan(i * test.ImageSize, test.ImageSize);
            pixels.CopyTo(image.Span);
            for (int k = 0; k < Samples; k++)
            {
                pixels.CopyTo(repeated.Span.Slice(k * test.ImageSize, test.ImageSize));
            }
            (Tensor mu, Tensor logVar) = network.Encode(image);
            reconstruction.Compute(network.DecodeLogits(bound.Sample(mu, logVar, noise, Samples)), repeated);
            bound.Compute(reconstruction.PerImage);
            engine[i] = bound.Bound()[0];
        }

        ImageScore[] again = model.Score(test.Pixels, test.Count, Samples, Seed + 2);
        double[] differences = [.. engine.Zip(scores, (e, s) => e - s.NegativeLogLikelihood)];
        double[] repeat = [.. again.Zip(scores, (a, s) => a.NegativeLogLikelihood - s.NegativeLogLikelihood)];
        static double Rms(double[] values) => Math.Sqrt(values.Average(v => v * v));
        MeanWithError offset = MeanWithError.Of(differences);
        TestContext.Out.WriteLine($"engine - runtime per image: {string.Join(", ", differences.Select(d => d.ToString("F3")))}");
        TestContext.Out.WriteLine($"runtime (another seed) - runtime: {string.Join(", ", repeat.Select(d => d.ToString("F3")))}");
        TestContext.Out.WriteLine($"rms {Rms(differences):F3} against the runtime's own {Rms(repeat):F3}; mean difference {offset}");
        Assert.That(Rms(differences), Is.LessThan(2 * Rms(repeat) + 0.05), "as far from the runtime as the runtime is from itself");
        Assert.That(Math.Abs(offset.Mean), Is.LessThan(3 * offset.StandardError + 0.05), "no offset beyond the noise");
    }

    [Test]
    public void TheServiceLoadsItsCalibrationLatentPointsAndExamples()
    {
        using var served = new VaeModelInference(VaeModel.Load(Folder));
        Assert.That(served.Calibration, Is.Not.Null, "calibration.json");
        Assert.DoesNotThrow(() => served.Calibration!.CheckMatches(Folder), "calibration.json was made for other graphs");
        Assert.That((served.LatentPoints?.Count, served.LatentPoints?.LatentSize), Is.EqualTo(((int?)1000, (int?)32)));
        Assert.That(served.Examples, Has.Count.EqualTo(10));
    }
}
