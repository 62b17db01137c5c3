// A model that produced NaN or infinite values from valid, in-bound input: the model's fault (broken or overflowing
// weights), not the caller's and not a bug in the runtime. VaeModel (decode, encode) and VaeScorer raise it, once, at
// the point the output is read; UserErrors classifies it as a model fault: one line and exit code 1 in the CLIs, a
// problem answer that says the model failed (500, logged and counted) in the service. It does not decide what to do
// about such a model; the message names the file and says to check or re-export its weights.
namespace VaeOnnx.Runtime.Core;

/// <summary>A graph that output NaN or infinity from finite, in-bound input: the model's fault (broken or overflowing weights), not the caller's.</summary>
/// <param name="modelPath">The graph file whose output was not finite.</param>
/// <param name="message">Which output, which row, and what to do.</param>
public sealed class ModelOutputException(string modelPath, string message) : Exception(message)
{
    /// <summary>The graph file whose output was not finite.</summary>
    public string ModelPath { get; } = modelPath;

    /// <summary>Throws when <paramref name="values"/> holds a NaN or an infinity; <paramref name="what"/> names the output and <paramref name="rowSize"/> its row.</summary>
    public static void ThrowIfNotFinite(ReadOnlySpan<float> values, string modelPath, string what, int rowSize)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw For(modelPath, what, values[i], i / rowSize);
            }
        }
    }

    /// <summary>The exception for a non-finite <paramref name="value"/> in row <paramref name="row"/> of an output.</summary>
    public static ModelOutputException For(string modelPath, string what, float value, int row) =>
        new(modelPath, $"{Path.GetFileName(modelPath)} produced {Describe(value)} in {what} (row {row}) from finite, in-bound input; "
            + "the model's weights are broken or overflow: check or re-export the model.");

    private static string Describe(float value) => float.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
}
