// The learning-rate schedule as a function of (fractional) epochs done: the constant schedule, the cosine's end
// points, midpoint and monotone descent, its flat tail past its length, and refused settings.
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Tests.Trainer.Engine.Optim;

public class LearningRateScheduleTests
{
    [Test]
    public void ConstantIsTheInitialRateEverywhere()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Constant, 1e-3);
        Assert.That(new[] { 0, 0.5, 7, 1e6 }.Select(schedule.RateAt), Is.All.EqualTo(1e-3));
    }

    [Test]
    public void CosineRunsFromInitialToFinalThroughTheMidpointAndStaysThere()
    {
        var schedule = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 1e-3, 1e-5, 40);
        schedule.Validate();
        Assert.That(schedule.RateAt(0), Is.EqualTo(1e-3));
        Assert.That(schedule.RateAt(20), Is.EqualTo((1e-3 + 1e-5) / 2).Within(1e-15));
        Assert.That(schedule.RateAt(10), Is.EqualTo(1e-5 + (1e-3 - 1e-5) * (1 + Math.Sqrt(0.5)) / 2).Within(1e-15), "cos(pi/4)");
        Assert.That(schedule.RateAt(40), Is.EqualTo(1e-5).Within(1e-18));
        Assert.That(schedule.RateAt(55.5), Is.EqualTo(1e-5).Within(1e-18), "past its length the rate stays at the final one");
        double[] rates = [.. Enumerable.Range(0, 401).Select(i => schedule.RateAt(i / 10.0))];
        Assert.That(rates.Zip(rates.Skip(1)).All(p => p.Second <= p.First), "never rises");
    }

    [TestCase(0.0, 0.0, 1.0)]
    [TestCase(1e-3, -1e-6, 1.0)]
    [TestCase(1e-3, 2e-3, 1.0)]
    [TestCase(1e-3, 0.0, 0.0)]
    [TestCase(double.NaN, 0.0, 1.0)]
    public void UnusableSettingsAreRefused(double initial, double final, double epochs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearningRateSchedule(LearningRateScheduleKind.Cosine, initial, final, epochs).Validate());
}
