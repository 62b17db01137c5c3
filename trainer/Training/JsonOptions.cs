// The one JSON style of the trainer's files (config.json, metrics.json, checkpoint metadata): snake_case names,
// enums as lower-case strings, indented. Doubles round-trip exactly (System.Text.Json writes the shortest form).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VaeOnnx.Trainer.Training;

public static class JsonOptions
{
    public static JsonSerializerOptions Indented { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
