// What a training step minimises (--objective):
//   elbo: the negative ELBO with one sample of z per image and the closed-form KL (VaeNetwork.TrainStep; the default);
//   iwae: the importance-weighted bound with K samples per image (VaeNetwork.TrainStepIwae, Burda et al. 2015),
//         which is tighter for K > 1 and trains the decoder towards a higher likelihood; K = --train-samples.
namespace VaeOnnx.Trainer.Models;

public enum TrainingObjective
{
    Elbo,
    Iwae,
}

public static class TrainingObjectiveNames
{
    /// <summary>Every objective's word, in declaration order: "elbo", "iwae".</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<TrainingObjective>().Select(ToName)];

    public static string ToName(this TrainingObjective objective) => objective.ToString().ToLowerInvariant();

    /// <summary>The member named <paramref name="name"/> (case ignored); throws an ArgumentException listing the words when there is none.</summary>
    public static TrainingObjective Parse(string name) =>
        Enum.TryParse(name, ignoreCase: true, out TrainingObjective value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"Unknown objective '{name}'; use {string.Join(" or ", All)}.", nameof(name));
}
