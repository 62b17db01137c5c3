// The one JSON style of the trainer's files (config.json, metrics.json, the training state in checkpoint.bin): the
// model contract's file policy (VaeContract.FileJsonNaming: snake_case names, enum values as kebab-case words),
// indented. Doubles round-trip exactly (System.Text.Json writes the shortest form).
using System.Text.Json;
using System.Text.Json.Serialization;
using VaeOnnx.Runtime.Core;

namespace VaeOnnx.Trainer.Training;

public static class JsonOptions
{
    public static JsonSerializerOptions Indented { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = VaeContract.FileJsonNaming,
        Converters = { new JsonStringEnumConverter(VaeContract.FileJsonEnumNaming) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
