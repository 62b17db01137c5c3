// k, the posterior draws per image of a score (VaeScorer.Score): its bound, its default, and the one wording of a
// refusal. Every edge that takes a k uses it: the scorer itself, the runtime CLI's --samples (score, calibrate), the
// service's samples and its MaxScoreSamples setting, a calibration.json's samples field, and the trainer's evaluate
// --iw-samples and anomaly-demo --samples. Each wraps the text in its own error (ArgumentOutOfRangeException,
// CliUsageException, a 400, CalibrationException).
namespace VaeOnnx.Runtime.Core.Scoring;

/// <summary>k, the posterior draws per image of a score (<see cref="VaeScorer"/>): its bound, its default, and the one wording of a refusal.</summary>
public static class ScoreSamples
{
    /// <summary>Most posterior draws per image one Score call accepts: a call costs k decoder passes per image.</summary>
    public const int Max = 100_000;

    /// <summary>k when neither the caller nor a calibration gives one.</summary>
    public const int Default = 16;

    /// <summary>
    /// Null when <paramref name="samples"/> is 1 to <paramref name="max"/>; otherwise the refusal, naming
    /// <paramref name="name"/> (the option, field or parameter) and, when given, the setting that sets a lower
    /// <paramref name="max"/> (<paramref name="maxName"/>).
    /// </summary>
    public static string? Problem(long samples, string name, int max = Max, string? maxName = null) =>
        samples >= 1 && samples <= max
            ? null
            : $"{name} is {samples}; use 1 to {max} posterior draws per image{(maxName is null ? "" : $" ({maxName})")}.";

    /// <summary>Returns <paramref name="samples"/>; throws ArgumentOutOfRangeException with the refusal when it is not 1 to Max.</summary>
    public static int Check(int samples, string name) =>
        Problem(samples, name) is string problem ? throw new ArgumentOutOfRangeException(name, samples, problem) : samples;
}
