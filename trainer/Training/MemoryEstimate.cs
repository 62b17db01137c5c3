// How much memory a training run will take, computed from the architecture before anything is allocated, so that a
// run that cannot fit is refused with a message saying what would fit instead of being killed half-way (exit 137).
// It counts, in bytes:
//   parameters  value, gradient and Adam's two moments of every weight (16 bytes per parameter);
//   activations every buffer a layer owns: forward outputs at max(batch, pictures batch), input gradients and loss
//               buffers at the batch, the latent's buffers, the training and evaluation batches, the report pictures;
//   scratch     per engine thread, the largest im2col/channel-major chunk of any convolution (BatchChunks' plan) and the
//               GEMM packing buffers; per convolution, the chunks' partial weight gradients;
//   transient   the checkpoint save (parameters and Adam state copied, serialised, then copied once more) or the export
//               (ONNX bytes, ONNX Runtime's own copy and its activations for the parity batch), whichever is larger;
//   data        the training and test images as floats; plus a fixed allowance for the runtime itself.
// On a GPU (DeviceBytes) the device holds the parameters, the activations and, instead of the per-thread scratch, each
// convolution's whole-batch columns for col2im (Backends/Convolution/ConvolutionGpu), plus the training set as the feed keeps it
// (Feeding/DeviceDataPlan) and the CUDA context; checked against ILGPU's real device buffers in the same tests.
// It also knows the hard limits that no amount of memory lifts: one .NET array holds at most Array.MaxLength elements,
// and a checkpoint (a MemoryStream) or an ONNX graph (protobuf) holds at most 2 GiB.
// It does not allocate, does not look at the machine (the caller passes the bytes available: the process's limit
// from GC.GetGCMemoryInfo, or later a device's memory) and does not model fragmentation: it is an upper bound of what
// the engine owns, checked against the real buffers in tests/Trainer/Training/MemoryEstimateTests.cs.
using System.Globalization;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Models;

namespace VaeOnnx.Trainer.Training;

public sealed record MemoryEstimate
{
    /// <summary>The CLR, ONNX Runtime's native library and everything else that is not a tensor.</summary>
    public const long RuntimeOverheadBytes = 320L << 20;

    /// <summary>
    /// What a CUDA context, ILGPU's compiled kernels, the allocator's rounding and the GEMM's split-K workspace (at most
    /// 2 x 4 x multiprocessors x 64 x 128 floats: 33 MiB on an H100, 64 MiB on a 256-SM GPU) take on a device.
    /// </summary>
    public const long DeviceOverheadBytes = 512L << 20;

    /// <summary>GEMM packing buffers of one thread: (128 + 512 rounded to the micro-kernel) x KC floats, rounded up.</summary>
    public const long GemmPackingBytesPerThread = 1L << 20;

    /// <summary>A checkpoint is built in a MemoryStream and an ONNX graph is one protobuf message: both stop at 2 GiB.</summary>
    public const long MaxSerializedBytes = int.MaxValue;

    /// <summary>Bytes of a checkpoint per parameter: the value and Adam's two moments as float32.</summary>
    public const int CheckpointBytesPerParameter = 12;

    /// <summary>The most parameters a checkpoint can hold (a 64 MiB margin for names, metadata and headers).</summary>
    public const long MaxParameters = (MaxSerializedBytes - (64L << 20)) / CheckpointBytesPerParameter;

    /// <summary>Test images the export's parity check runs through the network and through ONNX Runtime.</summary>
    public const int ParityBatch = 64;

    /// <summary>
    /// Images decoded at once for the run's pictures: the 20 x 20 manifold of a planar latent space, else the 64
    /// samples (Reports/RunReports draws them; MemoryEstimateTests holds the two files to the same numbers).
    /// </summary>
    public static int PicturesBatch(VaeArchitecture architecture) => architecture.HasPlanarLatent ? 20 * 20 : 64;

    public required VaeArchitecture Architecture { get; init; }

    public required int BatchSize { get; init; }

    public required long ParameterCount { get; init; }

    public required long ParameterBytes { get; init; }

    public required long ActivationBytes { get; init; }

    public required long ScratchBytes { get; init; }

    /// <summary>On a GPU, the convolutions' col2im columns for the whole batch (or pictures batch).</summary>
    public required long DeviceScratchBytes { get; init; }

    public required long TransientBytes { get; init; }

    public required long DataBytes { get; init; }

    /// <summary>The largest single array the run allocates, in elements (must stay within Array.MaxLength).</summary>
    public required long LargestTensor { get; init; }

    public long TotalBytes => ParameterBytes + ActivationBytes + ScratchBytes + TransientBytes + DataBytes + RuntimeOverheadBytes;

    /// <summary>What the engine owns after a training step: parameters, activations and scratch (what the tests measure).</summary>
    public long TrainingBytes => ParameterBytes + ActivationBytes + ScratchBytes;

    /// <summary>What a GPU run takes on the device with <paramref name="trainingSetBytes"/> of the training set kept there.</summary>
    public long DeviceBytes(long trainingSetBytes) =>
        ParameterBytes + ActivationBytes + DeviceScratchBytes + trainingSetBytes + DeviceOverheadBytes;

    /// <summary>Null when a GPU run fits in <paramref name="deviceMemory"/>; otherwise why not, in words.</summary>
    public string? DeviceProblem(long deviceMemory, long trainingSetBytes)
    {
        long needed = DeviceBytes(trainingSetBytes);
        return needed <= deviceMemory
            ? null
            : $"it needs about {Gib(needed)} of device memory ({ParameterCount:N0} parameters with gradients and Adam state {Gib(ParameterBytes)}, " +
              $"activations at batch {BatchSize} {Gib(ActivationBytes)}, convolution columns {Gib(DeviceScratchBytes)}, training set {Gib(trainingSetBytes)}, " +
              $"CUDA context {Gib(DeviceOverheadBytes)}) but the device has {Gib(deviceMemory)}";
    }

    /// <summary>Null when the run fits in <paramref name="availableBytes"/>; otherwise why not, in words.</summary>
    public string? Problem(long availableBytes)
    {
        if (ParameterCount > MaxParameters)
        {
            return $"the network has {ParameterCount:N0} parameters, more than a checkpoint or an ONNX graph can hold (2 GiB, {MaxParameters:N0} parameters)";
        }
        if (LargestTensor > Array.MaxLength)
        {
            return $"one of its buffers would hold {LargestTensor:N0} values, more than a .NET array can ({Array.MaxLength:N0})";
        }
        if (TotalBytes > availableBytes)
        {
            return $"it needs about {Gib(TotalBytes)} ({Breakdown()}) but {Gib(availableBytes)} is available";
        }
        return null;
    }

    public string Breakdown() =>
        $"{ParameterCount:N0} parameters with gradients and Adam state {Gib(ParameterBytes)}, activations at batch {BatchSize} {Gib(ActivationBytes)}, " +
        $"scratch {Gib(ScratchBytes)}, checkpoint/export {Gib(TransientBytes)}, images {Gib(DataBytes)}";

    public static string Gib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB");

    /// <summary>The estimate for training <paramref name="architecture"/> at <paramref name="batchSize"/> with <paramref name="threads"/> engine threads on <paramref name="images"/> images in memory.</summary>
    public static MemoryEstimate For(VaeArchitecture architecture, int batchSize, int threads, long images)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        var walk = new BufferWalk(batchSize, PicturesBatch(architecture), architecture);
        if (architecture.Kind == VaeKind.Conv)
        {
            walk.ConvNetwork(architecture.ConvStages);
        }
        else
        {
            walk.MlpNetwork();
        }
        long parameters = walk.Parameters;
        long image = architecture.ImageSize;
        long checkpoint = 4L * parameters * CheckpointBytesPerParameter; // captured copy, stream (up to 2x), final bytes
        // ONNX bytes (with the stream's growth) and ONNX Runtime's copy of the weights; its activations for the parity batch.
        long export = 3L * parameters * sizeof(float) + walk.InferenceOutputs * sizeof(float);
        return new MemoryEstimate
        {
            Architecture = architecture,
            BatchSize = batchSize,
            ParameterCount = parameters,
            ParameterBytes = 4L * parameters * sizeof(float),
            ActivationBytes = walk.Activations * sizeof(float),
            ScratchBytes = threads * (walk.ScratchPerThread * sizeof(float) + GemmPackingBytesPerThread) + walk.WeightGradPartials * sizeof(float),
            DeviceScratchBytes = walk.DeviceColumns * sizeof(float),
            TransientBytes = Math.Max(checkpoint, export),
            DataBytes = images * image * sizeof(float),
            LargestTensor = walk.Largest,
        };
    }

    /// <summary>
    /// Walks the layers ConvVae and MlpVae build (same order, same buffers) and adds up what each owns, in floats.
    /// Forward outputs grow to the larger of the batch and the pictures batch; gradients stay at the batch.
    /// </summary>
    private sealed class BufferWalk(int batch, int pictures, VaeArchitecture a)
    {
        private readonly long _forward = Math.Max(batch, pictures);
        private readonly long _batch = batch;
        private readonly long _pictures = pictures;
        private long _slot0;
        private long _slot1;

        public long Parameters { get; private set; }

        public long Activations { get; private set; }

        public long InferenceOutputs { get; private set; }

        public long ScratchPerThread => _slot0 + _slot1;

        public long WeightGradPartials { get; private set; }

        public long DeviceColumns { get; private set; }

        public long Largest { get; private set; }

        public void ConvNetwork(IReadOnlyList<ConvStage> stages)
        {
            long k2 = ConvStage.KernelSize * ConvStage.KernelSize;
            foreach (ConvStage s in stages)
            {
                long inImage = (long)s.InChannels * s.InHeight * s.InWidth, outPixels = (long)s.OutHeight * s.OutWidth;
                Weights(s.InChannels * k2 * s.OutChannels, s.OutChannels);
                Convolution(s.InChannels * k2, s.OutChannels, outPixels, s.InChannels * k2 * s.OutChannels * 1L);
                Layer(s.OutChannels * outPixels, inImage);   // Conv2d: output, input gradient
                Layer(s.OutChannels * outPixels, s.OutChannels * outPixels); // ReLU
            }
            long features = a.FeatureSize;
            // Flatten: a view of the last ReLU's output (Tensor.ViewOf), nothing allocated.
            LatentAndHeads(features);
            Weights((long)a.LatentSize * features, features);
            Layer(features, a.LatentSize);  // decoder.fc
            Layer(features, features);      // ReLU
            // Reshape: a view, nothing allocated.
            for (int i = stages.Count - 1; i >= 0; i--)
            {
                ConvStage s = stages[i];
                long inPixels = (long)s.OutHeight * s.OutWidth, outImage = (long)s.InChannels * s.InHeight * s.InWidth;
                Weights(s.OutChannels * k2 * s.InChannels, s.InChannels);
                Convolution(s.InChannels * k2, s.OutChannels, inPixels, s.OutChannels * k2 * s.InChannels);
                Layer(outImage, s.OutChannels * inPixels); // ConvTranspose2d: output, input gradient
                if (i > 0)
                {
                    Layer(outImage, outImage); // ReLU
                }
            }
            Outputs();
        }

        public void MlpNetwork()
        {
            long image = a.ImageSize, hidden = a.Hidden;
            Weights(image * hidden, hidden);
            // Flatten: a view of the images, nothing allocated.
            Layer(hidden, image);  // encoder.fc1
            Layer(hidden, hidden); // ReLU
            LatentAndHeads(hidden);
            Weights(a.LatentSize * hidden, hidden);
            Weights(hidden * image, image);
            Layer(hidden, a.LatentSize); // decoder.fc3
            Layer(hidden, hidden);       // ReLU
            Layer(image, hidden);        // decoder.fc4
            // Reshape: a view, nothing allocated.
            Outputs();
        }

        // Heads mu and logvar (F -> L each), the reparameterised sample, the KL and the network's summed gradients.
        private void LatentAndHeads(long features)
        {
            long latent = a.LatentSize;
            Weights(2 * features * latent, 2 * latent);
            Layer(latent, features);
            Layer(latent, features);
            Activations += 3 * latent * _forward + 6 * latent * _batch + features * _batch;
        }

        // The loss's three image-sized buffers, the sigmoid of Decode, the training and evaluation batches, and the
        // pictures' copies (images, decoded means, grid) at the pictures batch.
        private void Outputs()
        {
            long image = a.ImageSize;
            Activations += 3 * image * _batch + image * _forward + 2 * image * _batch + 3 * image * _pictures;
            Largest = Math.Max(Largest, image * _forward);
        }

        private void Weights(long weight, long bias)
        {
            Parameters += weight + bias;
            Largest = Math.Max(Largest, weight);
        }

        private void Layer(long outputPerImage, long inputGradientPerImage)
        {
            Activations += outputPerImage * _forward + inputGradientPerImage * _batch;
            InferenceOutputs += outputPerImage * ParityBatch;
            Largest = Math.Max(Largest, Math.Max(outputPerImage * _forward, inputGradientPerImage * _batch));
        }

        // One convolution's per-thread scratch (slot 0: patch x columns, slot 1: channels x columns) at its largest
        // chunk, for the training batch and the pictures batch, and its per-chunk partial weight gradients.
        private void Convolution(long patch, long channels, long pixelsPerImage, long weight)
        {
            foreach (long images in new[] { _batch, _forward })
            {
                BatchChunks chunks = BatchChunks.Plan((int)Math.Min(images, int.MaxValue), Math.Max(1, patch * pixelsPerImage));
                long columns = chunks.ImagesPerChunk * pixelsPerImage;
                _slot0 = Math.Max(_slot0, patch * columns);
                _slot1 = Math.Max(_slot1, channels * columns);
                Largest = Math.Max(Largest, patch * columns);
            }
            // On a GPU a convolution keeps whole-batch columns (patch rows) only for col2im: ConvTranspose2d's forward and
            // Conv2d's input gradient; the GEMMs read im2col and channel-major views of the tensors in place.
            DeviceColumns += patch * _forward * pixelsPerImage;
            long partials = BatchChunks.Plan((int)_batch, Math.Max(1, patch * pixelsPerImage)).Count * weight;
            WeightGradPartials += partials;
            Largest = Math.Max(Largest, partials);
        }
    }
}
