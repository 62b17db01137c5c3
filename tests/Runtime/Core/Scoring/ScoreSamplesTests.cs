// ScoreSamples: the one bound and wording of k. In range is no problem; out of range is one sentence naming the
// option or field, the value and the range, with the setting that lowered the bound when there is one; the scorer
// and the service's options refuse in those words.
using VaeOnnx.Runtime.AspNetCore;
using VaeOnnx.Runtime.Core.Scoring;

namespace VaeOnnx.Tests.Runtime.Core.Scoring;

public sealed class ScoreSamplesTests
{
    [TestCase(1)]
    [TestCase(ScoreSamples.Default)]
    [TestCase(ScoreSamples.Max)]
    public void In_range_is_no_problem(int samples) => Assert.That(ScoreSamples.Problem(samples, "k"), Is.Null);

    [Test]
    public void Out_of_range_is_one_sentence_naming_the_value_and_the_range()
    {
        Assert.That(ScoreSamples.Problem(0, "--samples"), Is.EqualTo("--samples is 0; use 1 to 100000 posterior draws per image."));
        Assert.That(ScoreSamples.Problem(ScoreSamples.Max + 1L, "samples"), Is.EqualTo("samples is 100001; use 1 to 100000 posterior draws per image."));
        Assert.That(ScoreSamples.Problem(33, "samples", 32, "the service's MaxScoreSamples"),
            Is.EqualTo("samples is 33; use 1 to 32 posterior draws per image (the service's MaxScoreSamples)."));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ScoreSamples.Check(-1, "samples"))!;
        Assert.That(e.Message, Does.StartWith(ScoreSamples.Problem(-1, "samples")!));
    }

    [Test]
    public void The_services_bound_on_k_is_refused_in_the_same_words()
    {
        var e = Assert.Throws<ArgumentException>(() => new VaeServingOptions { MaxScoreSamples = 0 }.Validate())!;
        Assert.That(e.Message, Does.Contain(ScoreSamples.Problem(0, nameof(VaeServingOptions.MaxScoreSamples))));
    }
}
