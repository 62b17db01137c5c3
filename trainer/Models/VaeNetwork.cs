// A variational autoencoder: encoder layers to features, two Linear heads to mu and logvar, the reparameterised
// sample, decoder layers back to an image, and the negative ELBO with its full backward pass.
//   loss = reconstruction (Bernoulli: BCE with logits; Gaussian: NLL with fixed sigma) + klWeight * KL(q(z|x) || N(0, I))
// The subclasses only choose the layers (ConvVae, MlpVae). Every buffer is owned and reused, so a training step
// allocates nothing once the batch size has been seen. It does not step the optimizer (the trainer calls Adam).
// Everything runs on one ComputeBackend (UseBackend): the CPU's SIMD kernels or a GPU's ILGPU kernels. On a GPU the
// step's losses stay on the device (the TrainStep overload with running sums) until the trainer reads them.
using VaeOnnx.Runtime.Core;
using VaeOnnx.Trainer.Engine;
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Layers;
using VaeOnnx.Trainer.Engine.Losses;
using Tensor = VaeOnnx.Trainer.Engine.Tensor;

namespace VaeOnnx.Trainer.Models;

public abstract class VaeNetwork
{
    private readonly Layer[] _encoder;
    private readonly Layer[] _decoder;
    private readonly Parameter[] _parameters;
    private readonly ReconstructionLoss _reconstruction;
    private readonly GaussianKl _kl = new();
    private readonly Reparameterization _reparameterization = new();
    private readonly Sigmoid _sigmoid = new();
    private readonly Tensor _gradMu = new(0, 0);
    private readonly Tensor _gradLogVar = new(0, 0);
    private readonly Tensor _gradFeatures = new(0, 0);

    private protected VaeNetwork(VaeArchitecture architecture, Layer[] encoderLayers, Linear muHead, Linear logVarHead, Layer[] decoderLayers)
    {
        Architecture = architecture;
        _encoder = encoderLayers;
        MuHead = muHead;
        LogVarHead = logVarHead;
        _decoder = decoderLayers;
        // Nothing reads d(loss)/d(image): the layers before and including the first one with weights can skip it.
        foreach (Layer layer in _encoder)
        {
            layer.NeedsInputGradient = false;
            if (layer.Parameters.Any())
            {
                break;
            }
        }
        _parameters = [.. _encoder.SelectMany(l => l.Parameters), .. muHead.Parameters, .. logVarHead.Parameters, .. _decoder.SelectMany(l => l.Parameters)];
        _reconstruction = architecture.Output == Likelihood.Bernoulli
            ? new BernoulliNll()
            : new GaussianNll(architecture.GaussianSigma);
    }

    public VaeArchitecture Architecture { get; }

    /// <summary>Where every layer, loss and the sample run; the parameters live on its device.</summary>
    public ComputeBackend Backend { get; private set; } = CpuBackend.Instance;

    /// <summary>
    /// Moves the whole network to <paramref name="backend"/>: its layers, losses and sample compute there from now on,
    /// and each tensor is copied to the new device on first use (host reads of a GPU tensor download it).
    /// </summary>
    public void UseBackend(ComputeBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Backend = backend;
        foreach (Layer layer in _encoder.Concat([MuHead, LogVarHead]).Concat(_decoder).Append(_sigmoid))
        {
            layer.Backend = backend;
        }
        _reconstruction.Backend = backend;
        _kl.Backend = backend;
        _reparameterization.Backend = backend;
        LayerFusion.Apply(_encoder, backend);
        LayerFusion.Apply(_decoder, backend);
    }

    /// <summary>Every trainable tensor in a fixed order (encoder, mu head, logvar head, decoder) with unique dotted names.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Image (N, C, H, W) -> features (N, F).</summary>
    public IReadOnlyList<Layer> EncoderLayers => _encoder;

    /// <summary>Features (N, F) -> mu (N, L).</summary>
    public Linear MuHead { get; }

    /// <summary>Features (N, F) -> logvar (N, L).</summary>
    public Linear LogVarHead { get; }

    /// <summary>z (N, L) -> logits (Bernoulli) or means (Gaussian) (N, C, H, W); no final sigmoid.</summary>
    public IReadOnlyList<Layer> DecoderLayers => _decoder;

    /// <summary>Builds the network for <paramref name="architecture"/> on <paramref name="backend"/> (the CPU when null).</summary>
    public static VaeNetwork Create(VaeArchitecture architecture, ComputeBackend? backend = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        VaeNetwork network = architecture.Kind == VaeKind.Conv ? new ConvVae(architecture) : new MlpVae(architecture);
        if (backend is not null)
        {
            network.UseBackend(backend);
        }
        return network;
    }

    /// <summary>Draws every parameter afresh with PyTorch's default initialisation, in <see cref="Parameters"/> order.</summary>
    public void ResetParameters(RandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        foreach (Layer layer in _encoder)
        {
            layer.ResetParameters(random);
        }
        MuHead.ResetParameters(random);
        LogVarHead.ResetParameters(random);
        foreach (Layer layer in _decoder)
        {
            layer.ResetParameters(random);
        }
    }

    /// <summary>images (N, C, H, W) -> mu (N, L), logvar (N, L); the tensors stay valid until the next call on this network.</summary>
    public (Tensor Mu, Tensor LogVar) Encode(Tensor images)
    {
        CheckImages(images);
        Tensor features = images;
        for (int i = 0; i < _encoder.Length; i++)
        {
            features = _encoder[i].Forward(features);
        }
        return (MuHead.Forward(features), LogVarHead.Forward(features));
    }

    /// <summary>z (N, L) -> logits (Bernoulli) or means (Gaussian) (N, C, H, W).</summary>
    public Tensor DecodeLogits(Tensor z)
    {
        if (z.Rank != 2 || z.Dim(1) != Architecture.LatentSize || z.Dim(0) == 0)
        {
            throw new ArgumentException($"The decoder expects z (N, {Architecture.LatentSize}) with N >= 1; got {z}.", nameof(z));
        }
        Tensor x = z;
        for (int i = 0; i < _decoder.Length; i++)
        {
            x = _decoder[i].Forward(x);
        }
        return x;
    }

    /// <summary>z (N, L) -> pixel means (N, C, H, W): sigmoid(logits) for Bernoulli, the decoder output for Gaussian.</summary>
    public Tensor Decode(Tensor z)
    {
        Tensor output = DecodeLogits(z);
        return Architecture.Output == Likelihood.Bernoulli ? _sigmoid.Forward(output) : output;
    }

    /// <summary>
    /// Forward pass, negative ELBO and backward pass for one batch: every Parameter.Grad is overwritten with
    /// d(reconstruction + klWeight * KL)/d(parameter). Returns the unweighted batch sums. eps is drawn from <paramref name="noise"/>.
    /// </summary>
    public LossBreakdown TrainStep(Tensor images, RandomSource noise, float klWeight)
    {
        ArgumentNullException.ThrowIfNull(noise);
        (Tensor mu, Tensor logVar) = Encode(images);
        Train(images, mu, logVar, _reparameterization.Forward(mu, logVar, noise), klWeight);
        return LastLoss(images);
    }

    /// <summary>
    /// As <see cref="TrainStep(Tensor, RandomSource, float)"/>, but adds the batch's reconstruction and KL sums to
    /// <paramref name="runningSums"/> (length 2) on the device instead of reading them back; returns the image count.
    /// </summary>
    public int TrainStep(Tensor images, RandomSource noise, float klWeight, LossValues runningSums)
    {
        ArgumentNullException.ThrowIfNull(noise);
        RequireRunningSums(runningSums);
        (Tensor mu, Tensor logVar) = Encode(images);
        Train(images, mu, logVar, _reparameterization.Forward(mu, logVar, noise), klWeight);
        Backend.AccumulateLoss(_reconstruction.PerImage, _kl.PerImage, runningSums);
        return images.Dim(0);
    }

    /// <summary>
    /// As <see cref="TrainStep(Tensor, RandomSource, float, LossValues)"/> with the noise eps (N, L) given, e.g. drawn
    /// for the whole epoch and kept on the device (Training/Feeding/NoiseFeed); returns the image count.
    /// </summary>
    public int TrainStep(Tensor images, Tensor epsilon, float klWeight, LossValues runningSums)
    {
        ArgumentNullException.ThrowIfNull(epsilon);
        RequireRunningSums(runningSums);
        (Tensor mu, Tensor logVar) = Encode(images);
        Train(images, mu, logVar, _reparameterization.Forward(mu, logVar, epsilon), klWeight);
        Backend.AccumulateLoss(_reconstruction.PerImage, _kl.PerImage, runningSums);
        return images.Dim(0);
    }

    private static void RequireRunningSums(LossValues runningSums)
    {
        ArgumentNullException.ThrowIfNull(runningSums);
        if (runningSums.Length != 2)
        {
            throw new ArgumentException($"The running loss sums hold (reconstruction, KL): length 2, not {runningSums.Length}.", nameof(runningSums));
        }
    }

    /// <summary>As <see cref="TrainStep(Tensor, RandomSource, float)"/> with the noise eps (N, L) given (golden tests).</summary>
    public LossBreakdown TrainStep(Tensor images, Tensor epsilon, float klWeight)
    {
        (Tensor mu, Tensor logVar) = Encode(images);
        Train(images, mu, logVar, _reparameterization.Forward(mu, logVar, epsilon), klWeight);
        return LastLoss(images);
    }

    private LossBreakdown LastLoss(Tensor images) =>
        new(_reconstruction.PerImage.Total(), _kl.PerImage.Total(), images.Dim(0));

    /// <summary>
    /// Forward only: the one-sample negative ELBO of the batch. <paramref name="reconstructionPerImage"/> and
    /// <paramref name="klPerImage"/>, when not empty, receive each image's terms (length N).
    /// </summary>
    public LossBreakdown Evaluate(Tensor images, RandomSource noise, Span<double> reconstructionPerImage = default, Span<double> klPerImage = default)
    {
        ArgumentNullException.ThrowIfNull(noise);
        (Tensor mu, Tensor logVar) = Encode(images);
        Tensor z = _reparameterization.Forward(mu, logVar, noise);
        return Score(images, mu, logVar, z, reconstructionPerImage, klPerImage);
    }

    /// <summary>As <see cref="Evaluate(Tensor, RandomSource, Span{double}, Span{double})"/> with the noise eps (N, L) given.</summary>
    public LossBreakdown Evaluate(Tensor images, Tensor epsilon, Span<double> reconstructionPerImage = default, Span<double> klPerImage = default)
    {
        (Tensor mu, Tensor logVar) = Encode(images);
        Tensor z = _reparameterization.Forward(mu, logVar, epsilon);
        return Score(images, mu, logVar, z, reconstructionPerImage, klPerImage);
    }

    private LossBreakdown Score(Tensor images, Tensor mu, Tensor logVar, Tensor z, Span<double> reconstructionPerImage, Span<double> klPerImage)
    {
        Tensor output = DecodeLogits(z);
        double reconstruction = _reconstruction.Forward(output, images, reconstructionPerImage);
        double kl = _kl.Forward(mu, logVar, klPerImage);
        return new LossBreakdown(reconstruction, kl, images.Dim(0));
    }

    // Forward to the losses (left on the device) and the whole backward pass.
    private void Train(Tensor images, Tensor mu, Tensor logVar, Tensor z, float klWeight)
    {
        if (!float.IsFinite(klWeight) || klWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(klWeight), klWeight, "The KL weight must be a finite number >= 0 (1 for the ELBO).");
        }
        _reconstruction.Compute(DecodeLogits(z), images);
        _kl.Compute(mu, logVar);

        // Decoder: d(loss)/d(output) back to dZ.
        Tensor gradient = _reconstruction.Backward();
        for (int i = _decoder.Length - 1; i >= 0; i--)
        {
            gradient = _decoder[i].Backward(gradient);
        }

        // Latent: the sample's path plus the weighted KL's direct path.
        _reparameterization.Backward(gradient);
        _kl.Backward(klWeight);
        Backend.Add(_reparameterization.GradMu, _kl.GradMu, _gradMu.Resize(mu.Shape));
        Backend.Add(_reparameterization.GradLogVar, _kl.GradLogVar, _gradLogVar.Resize(mu.Shape));

        // Heads: both read the same features, so their input gradients add.
        Tensor fromMu = MuHead.Backward(_gradMu);
        Tensor fromLogVar = LogVarHead.Backward(_gradLogVar);
        Backend.Add(fromMu, fromLogVar, _gradFeatures.Resize(fromMu.Shape));

        // Down to the first layer with weights; the layers before it have nothing to learn.
        gradient = _gradFeatures;
        for (int i = _encoder.Length - 1; i >= 0; i--)
        {
            gradient = _encoder[i].Backward(gradient);
            if (!_encoder[i].NeedsInputGradient)
            {
                break;
            }
        }
    }

    private void CheckImages(Tensor images)
    {
        VaeArchitecture a = Architecture;
        if (images.Rank != 4 || images.Dim(0) == 0 || images.Dim(1) != a.Channels || images.Dim(2) != a.Height || images.Dim(3) != a.Width)
        {
            throw new ArgumentException(
                $"This VAE takes images (N, {a.Channels}, {a.Height}, {a.Width}) with N >= 1; got {images}. " +
                "Resize or convert the images to the size and channel count the model was built for.", nameof(images));
        }
    }
}
