// Which network a VaeArchitecture builds. A user sees it as a word: --arch conv|mlp, "architecture" in config.json,
// "kind" in a checkpoint's state and vaeonnx.architecture in the exported models. That word is the member's name
// under the contract's enum policy for files (VaeContract.FileJsonEnumNaming), so every place writes the same text.
using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Trainer.Models;

public enum VaeKind
{
    /// <summary>The convolutional VAE: Conv2d stages down, ConvTranspose2d stages up (see VaeArchitecture).</summary>
    Conv,

    /// <summary>The classic fully connected VAE of Kingma and Welling.</summary>
    Mlp,
}

public static class VaeKindNames
{
    /// <summary>Every kind's word, in declaration order: "conv", "mlp".</summary>
    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<VaeKind>().Select(ToName)];

    /// <summary>The word a user reads and writes for <paramref name="kind"/>: "conv", "mlp".</summary>
    public static string ToName(this VaeKind kind) =>
        Enum.IsDefined(kind) ? VaeContract.FileJsonEnumNaming.ConvertName(kind.ToString()) : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Use one of {string.Join(", ", All)}.");

    /// <summary>The kind named <paramref name="name"/> (exactly one of <see cref="All"/>); false when there is none.</summary>
    public static bool TryParse(string? name, out VaeKind kind)
    {
        foreach (VaeKind candidate in Enum.GetValues<VaeKind>())
        {
            if (string.Equals(name, candidate.ToName(), StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>The kind named <paramref name="name"/>; throws an ArgumentException listing the words when there is none.</summary>
    public static VaeKind Parse(string name) =>
        TryParse(name, out VaeKind kind) ? kind : throw new ArgumentException($"Unknown VAE architecture '{name}'; use {string.Join(" or ", All)}.", nameof(name));
}
