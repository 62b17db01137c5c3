// Decode a point of a trained VAE's latent space into an image, and draw 16 samples, with VaeOnnx.Runtime.
using System.Globalization;
using VaeOnnx.Runtime.Core;
using VaeOnnx.Runtime.Core.Imaging;

// A model folder holds encoder.onnx and decoder.onnx (a VaeOnnx trainer run's output).
using var model = VaeModel.Load(args.Length > 0 ? args[0] : "models/mnist-conv");
VaeMetadata m = model.Metadata;                       // Channels, Height, Width, LatentSize, Likelihood

// z: LatentSize numbers such as "0.5,-1,0,...", or none for the origin of the latent space.
float[] z = args.Length > 1
    ? args[1].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()
    : new float[m.LatentSize];
ImageBatch decoded = model.Decode(z, count: 1);       // (1, C, H, W), values in [0, 1]
File.WriteAllBytes("decoded.png", decoded.ToPng(0));

ImageBatch samples = model.Sample(16, seed: 1);      // the same 16 images on every machine
File.WriteAllBytes("samples.png", ImageFile.EncodePng(samples.ToGrid()));

Console.WriteLine(string.Join(' ', decoded.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
