// The decoder's likelihood p(x | z): what its outputs mean and which reconstruction loss trains them.
// Written by name in JSON ("Bernoulli", "Gaussian").
using System.Text.Json.Serialization;

namespace VaeOnnx.Trainer.Models;

[JsonConverter(typeof(JsonStringEnumConverter<OutputDistribution>))]
public enum OutputDistribution
{
    /// <summary>Each pixel ~ Bernoulli(sigmoid(logit)); the decoder outputs logits, the loss is BCE-with-logits.</summary>
    Bernoulli,

    /// <summary>Each pixel ~ N(mean, sigma^2) with the architecture's fixed sigma; the decoder outputs means.</summary>
    Gaussian,
}
