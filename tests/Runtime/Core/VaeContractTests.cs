// The contract's JSON policies, applied: names on the wire are camelCase (VaeContract.HttpJsonNaming), as the score
// fields the service and `runtime score --format json` write; the policy objects are the ones the comments name.
// The files' side (snake_case) is checked where each file is written: CalibrationTests, AnomalyEvaluationTests and
// the trainer's config and state round trips (TrainingCheckpointTests).
using System.Text.Json;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Scoring;

namespace VaeOnnx.Tests.Runtime.Core;

public sealed class VaeContractTests
{
    [Test]
    public void Score_fields_on_the_wire_are_camelCase()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            ScoreJson.WriteFields(json, new ImageScore(1, 2, 3, 4, 5), ScoreKind.NegativeElbo, calibration: null);
            json.WriteEndObject();
        }
        using var document = JsonDocument.Parse(stream.ToArray());
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            string pascal = char.ToUpperInvariant(property.Name[0]) + property.Name[1..];
            Assert.That(property.Name, Is.EqualTo(VaeContract.HttpJsonNaming.ConvertName(pascal)));
        }
        Assert.That(document.RootElement.TryGetProperty("negativeLogLikelihood", out _));
    }

    [Test]
    public void The_policies_are_the_named_ones()
    {
        Assert.That(VaeContract.FileJsonNaming.ConvertName("EncoderSha256"), Is.EqualTo("encoder_sha256"));
        Assert.That(VaeContract.FileJsonEnumNaming.ConvertName("NegativeElbo"), Is.EqualTo("negative-elbo"));
        Assert.That(VaeContract.HttpJsonNaming.ConvertName("ScoreKind"), Is.EqualTo("scoreKind"));
    }
}
