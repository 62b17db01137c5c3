// Writes a trained VAE as two ONNX graphs (opset 17, producer "VaeOnnx"), each atomically (AtomicFile):
//   encoder.onnx: image float [N, C, H, W] -> mu float [N, L], logvar float [N, L]
//   decoder.onnx: z float [N, L] -> image float [N, C, H, W]   (Bernoulli: sigmoid probabilities; Gaussian: the means)
//                                   + logits float [N, C, H, W] (Bernoulli only: the pre-sigmoid values)
// A Gaussian decoder has no `logits` output: its image already is the linear output, and a copy would only invite
// treating means as logits. "N" is a symbolic batch dimension. Both graphs carry the same metadata_props.
using VaeOnnx.OnnxBuilder;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.IO;

using static VaeOnnx.Runtime.Core.VaeContract;

namespace VaeOnnx.Trainer.Export;

public static class VaeExporter
{
    /// <summary>Writes encoder.onnx and decoder.onnx into <paramref name="folder"/>; returns their paths.</summary>
    public static (string Encoder, string Decoder) Export(VaeGraphSource source, ExportMetadata metadata, string folder)
    {
        Directory.CreateDirectory(folder);
        string encoderPath = Path.Combine(folder, EncoderFileName), decoderPath = Path.Combine(folder, DecoderFileName);
        ModelBuilder encoder = BuildEncoder(source, metadata);
        ModelBuilder decoder = BuildDecoder(source, metadata);
        // Build both before writing either, so a validation failure leaves any earlier pair untouched.
        encoder.Build();
        decoder.Build();
        AtomicFile.Write(encoderPath, encoder.Save);
        AtomicFile.Write(decoderPath, decoder.Save);
        return (encoderPath, decoderPath);
    }

    public static ModelBuilder BuildEncoder(VaeGraphSource source, ExportMetadata metadata)
    {
        var graph = new GraphBuilder("vae_encoder");
        string image = graph.Input(ImageTensor, ElementType.Float, "N", source.Channels, source.Height, source.Width);
        string features = LayerExport.Append(graph, image, source.EncoderLayers);
        LayerExport.AppendOne(graph, features, source.MuHead, MuTensor);
        LayerExport.AppendOne(graph, features, source.LogVarHead, LogVarTensor);
        graph.Output(MuTensor, ElementType.Float, "N", source.LatentSize);
        graph.Output(LogVarTensor, ElementType.Float, "N", source.LatentSize);
        return WithMetadata(new ModelBuilder(graph) { DocString = "VAE encoder: image -> mu, logvar of q(z | x)." }, source, metadata);
    }

    public static ModelBuilder BuildDecoder(VaeGraphSource source, ExportMetadata metadata)
    {
        var graph = new GraphBuilder("vae_decoder");
        string z = graph.Input(LatentTensor, ElementType.Float, "N", source.LatentSize);
        Dim[] imageShape = ["N", source.Channels, source.Height, source.Width];
        if (source.Likelihood == Likelihood.Bernoulli)
        {
            string logits = LayerExport.Append(graph, z, source.DecoderLayers, LogitsTensor);
            graph.Sigmoid(logits, ImageTensor);
            graph.Output(ImageTensor, ElementType.Float, imageShape);
            graph.Output(LogitsTensor, ElementType.Float, imageShape);
        }
        else
        {
            LayerExport.Append(graph, z, source.DecoderLayers, ImageTensor);
            graph.Output(ImageTensor, ElementType.Float, imageShape);
        }
        string doc = source.Likelihood == Likelihood.Bernoulli ? "VAE decoder: z -> Bernoulli probabilities (image) and logits." : "VAE decoder: z -> Gaussian means (image).";
        return WithMetadata(new ModelBuilder(graph) { DocString = doc }, source, metadata);
    }

    private static ModelBuilder WithMetadata(ModelBuilder model, VaeGraphSource source, ExportMetadata metadata)
    {
        model.ProducerName = "VaeOnnx";
        model.ProducerVersion = ExportMetadata.ProducerVersion;
        foreach (var (key, value) in metadata.ToProperties(source))
        {
            model.SetMetadata(key, value);
        }
        return model;
    }
}
