// Checks an exported model against the network it came from: the same images through the ONNX encoder (on ONNX
// Runtime, via the runtime's VaeModel) and through the trainer's own encoder, the same z through both decoders, and
// reports the largest absolute difference of mu, logvar and the decoded image. Above the tolerance the export is
// wrong (an operator mapped differently, a weight out of order): the caller must fail loudly.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Models;
using Tensor = VaeOnnx.Trainer.Engine.Tensor;

namespace VaeOnnx.Trainer.Export;

public sealed record ParityReport(int Images, double MuDifference, double LogVarDifference, double ImageDifference, double Tolerance)
{
    public double MaxDifference => Math.Max(MuDifference, Math.Max(LogVarDifference, ImageDifference));

    public bool Passed => MaxDifference <= Tolerance;

    public override string ToString() =>
        $"ONNX parity on {Images} images: max |diff| mu {MuDifference:E2}, logvar {LogVarDifference:E2}, image {ImageDifference:E2} (tolerance {Tolerance:E0})";
}

/// <summary>The exported graphs compute something else than the trainer's network.</summary>
public sealed class ExportMismatchException(ParityReport report, string folder)
    : Exception($"The exported model in {folder} does not match the trained network: {report}. This is a bug in the exporter; the files were not installed.")
{
    public ParityReport Report { get; } = report;
}

public static class ExportParity
{
    public const double DefaultTolerance = 1e-4;

    /// <summary>Runs <paramref name="images"/> (count, C, H, W) through both; <paramref name="modelFolder"/> holds the two .onnx files.</summary>
    public static ParityReport Measure(VaeNetwork network, string modelFolder, float[] images, int count, double tolerance = DefaultTolerance)
    {
        VaeArchitecture a = network.Architecture;
        var batch = new Tensor(count, a.Channels, a.Height, a.Width);
        images.AsSpan(0, batch.Length).CopyTo(batch.Span);
        (Tensor mu, Tensor logVar) = network.Encode(batch);
        float[] expectedMu = mu.Span.ToArray(), expectedLogVar = logVar.Span.ToArray();
        var z = new Tensor(count, a.LatentSize);
        expectedMu.CopyTo(z.Span);
        float[] expectedImage = network.Decode(z).Span.ToArray();

        using VaeModel model = VaeModel.Load(modelFolder);
        EncodedBatch encoded = model.Encode(batch.Span, count);
        float[] image = model.Decode(expectedMu, count).Values;
        return new ParityReport(
            count,
            MaxAbsDifference(expectedMu, encoded.Mu),
            MaxAbsDifference(expectedLogVar, encoded.LogVar),
            MaxAbsDifference(expectedImage, image),
            tolerance);
    }

    private static double MaxAbsDifference(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            return double.PositiveInfinity;
        }
        double max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)expected[i] - actual[i]);
            // NaN on either side counts as a mismatch.
            max = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(max, difference);
        }
        return max;
    }
}
