// The learning rate as a function of where training stands, in (fractional) epochs done, so that a run resumed from
// any checkpoint, mid-epoch included, continues on exactly the same curve (the loop sets Adam's rate before each step).
//   constant: lr(t) = Initial
//   cosine:   lr(t) = Final + (Initial - Final) (1 + cos(pi min(t / Epochs, 1))) / 2   (Loshchilov & Hutter 2017, no restarts)
// The cosine's length is fixed when the run starts (TrainingConfig.LearningRateScheduleEpochs), so raising --epochs on
// resume does not bend the curve already followed: past its end the rate stays at Final.
// It does not warm up and does not look at the loss (no reduce-on-plateau), which would make the rate depend on history.
namespace VaeOnnx.Trainer.Engine.Optim;

public enum LearningRateScheduleKind
{
    /// <summary>The same rate throughout (the default run).</summary>
    Constant,

    /// <summary>Half a cosine from the initial rate down to the final one over the schedule's epochs.</summary>
    Cosine,
}

public static class LearningRateScheduleNames
{
    /// <summary>Every schedule's word, in declaration order: "constant", "cosine".</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<LearningRateScheduleKind>().Select(ToName)];

    public static string ToName(this LearningRateScheduleKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The member named <paramref name="name"/> (case ignored); throws an ArgumentException listing the words when there is none.</summary>
    public static LearningRateScheduleKind Parse(string name) =>
        Enum.TryParse(name, ignoreCase: true, out LearningRateScheduleKind value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"Unknown learning-rate schedule '{name}'; use {string.Join(" or ", All)}.", nameof(name));
}

public sealed record LearningRateSchedule(LearningRateScheduleKind Kind, double Initial, double Final = 0, double Epochs = 1)
{
    /// <summary>Throws with the offending value when the schedule cannot work.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Use a constant or a cosine schedule.");
        }
        if (!double.IsFinite(Initial) || Initial <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Initial), Initial, "The initial learning rate must be a positive number.");
        }
        if (!double.IsFinite(Final) || Final < 0 || Final > Initial)
        {
            throw new ArgumentOutOfRangeException(nameof(Final), Final, $"The final learning rate must lie between 0 and the initial rate {Initial}.");
        }
        if (!double.IsFinite(Epochs) || Epochs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "The schedule must last a positive number of epochs.");
        }
    }

    /// <summary>The rate after <paramref name="epochsDone"/> epochs (fractions count: batch b of an epoch of B is b / B).</summary>
    public double RateAt(double epochsDone) => Kind switch
    {
        LearningRateScheduleKind.Cosine => Final + (Initial - Final) * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(epochsDone / Epochs, 0, 1))),
        _ => Initial,
    };
}
