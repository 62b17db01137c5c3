// Export with a safety net: the two graphs are written to a temporary folder inside the destination, run through
// ONNX Runtime against the network (ExportParity), and only moved into place when they agree within the tolerance.
// A failed check leaves any model already in the destination untouched and throws ExportMismatchException.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.IO;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Trainer.Export;

public static class ModelExport
{
    public static VaeGraphSource SourceOf(VaeNetwork network)
    {
        VaeArchitecture a = network.Architecture;
        return new VaeGraphSource(network.EncoderLayers, network.MuHead, network.LogVarHead, network.DecoderLayers,
            a.Channels, a.Height, a.Width, a.Output);
    }

    public static ExportMetadata MetadataOf(VaeNetwork network, string dataset, int epochs, double? testLoss) => new()
    {
        Architecture = network.Architecture.Kind.ToName(),
        Dataset = dataset,
        Epochs = epochs,
        TestLoss = testLoss,
        GaussianSigma = network.Architecture.Output == Likelihood.Gaussian ? network.Architecture.GaussianSigma : null,
    };

    /// <summary>Writes, checks and installs encoder.onnx and decoder.onnx in <paramref name="folder"/>.</summary>
    public static ParityReport ExportAndVerify(VaeNetwork network, ExportMetadata metadata, string folder, float[] checkImages, int checkCount,
        double tolerance = ExportParity.DefaultTolerance)
    {
        Directory.CreateDirectory(folder);
        string staging = Path.Combine(folder, $".export-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            (string encoder, string decoder) = VaeExporter.Export(SourceOf(network), metadata, staging);
            ParityReport report = ExportParity.Measure(network, staging, checkImages, checkCount, tolerance);
            if (!report.Passed)
            {
                throw new ExportMismatchException(report, folder);
            }
            AtomicFile.Replace(encoder, Path.Combine(folder, VaeContract.EncoderFileName));
            AtomicFile.Replace(decoder, Path.Combine(folder, VaeContract.DecoderFileName));
            return report;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>Deterministic images in [0, 1] for checking an export when no test data is at hand.</summary>
    public static float[] CheckImages(VaeArchitecture architecture, int count, ulong seed = 7)
    {
        var random = new RandomSource(seed);
        float[] images = new float[count * architecture.ImageSize];
        random.FillUniform(images, 0f, 1f);
        return images;
    }
}
