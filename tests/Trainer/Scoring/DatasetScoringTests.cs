// DatasetScoring: the same scores as VaeScorer.Score image by image whatever the grouping (k = 1 puts hundreds of
// images in one call, k = 5000 a few), progress reaches the image count, mismatched sizes get a clear error, and the
// mean with standard error matches its formula.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Scoring;
using VaeOnnx.Tests.Runtime.Core.Scoring;
using VaeOnnx.Tests.Support;
using VaeOnnx.Trainer.Data;
using VaeOnnx.Trainer.Scoring;

namespace VaeOnnx.Tests.Trainer.Scoring;

[TestFixture]
public sealed class DatasetScoringTests
{
    [Test]
    public void Scores_equal_per_image_scores_for_any_grouping()
    {
        using var folder = new TemporaryFolder("vaeonnx-dataset-scoring");
        var vae = LinearVae.Random(latentSize: 2, channels: 1, height: 8, width: 8, seed: 5);
        using var model = VaeModel.Load(vae.Write(folder.File("model")));
        var data = SyntheticShapes.Generate(300, 1, 8, 8, seed: 4);

        foreach (int k in new[] { 1, 5000 })
        {
            var subset = k == 1 ? data : data.Take(7);
            var progress = new List<int>();
            var scores = DatasetScoring.Score(model, subset, k, seed: 3, progress.Add);
            for (int i = 0; i < subset.Count; i += Math.Max(1, subset.Count / 10))
            {
                Assert.That(scores[i], Is.EqualTo(model.Score(subset.Image(i), 1, k, seed: 3)[0]), $"k={k} image {i}");
            }
            Assert.That(progress[^1], Is.EqualTo(subset.Count));
            Assert.That(progress, Is.Ordered.Ascending);
            TestContext.Out.WriteLine($"k={k}: {subset.Count} images in {progress.Count} call(s)");
        }
    }

    [Test]
    public void Images_of_another_size_are_refused()
    {
        using var folder = new TemporaryFolder("vaeonnx-dataset-scoring");
        using var model = VaeModel.Load(LinearVae.Random(2, 1, 8, 8, seed: 5).Write(folder.File("model")));
        var error = Assert.Throws<ArgumentException>(() => DatasetScoring.Score(model, SyntheticShapes.Generate(3, 1, 9, 9, seed: 1), 1, 0))!;
        TestContext.Out.WriteLine(error.Message);
        Assert.That(error.Message, Does.Contain("1x9x9").And.Contain("1x8x8"));
    }

    [Test]
    public void Mean_with_error_matches_its_formula()
    {
        var result = MeanWithError.Of([1.0, 2, 3, 4]);
        Assert.That(result.Mean, Is.EqualTo(2.5));
        Assert.That(result.StandardError, Is.EqualTo(Math.Sqrt(5.0 / 3 / 4)).Within(1e-15));
        Assert.That(MeanWithError.Of([7.0]).StandardError, Is.EqualTo(0));
    }
}
