// The GPU backend: ILGPU kernels on one accelerator (CUDA on a user's machine; ILGPU's CPU accelerator in the tests,
// which runs the same kernels). Each op family's kernels live beside their CPU versions (Dense/GemmGpu,
// Convolution/ConvolutionGpu + Im2ColGpu, Elementwise/ElementwiseGpu, Losses/LossesGpu, Optim/OptimGpu).
// Tensors get a device copy on first use (DeviceMirror): inputs written on the host are uploaded, outputs stay on the
// device until host code reads them. Kernels are queued on the accelerator's default stream, so nothing waits for the
// device except a download. It does not own the accelerator (whoever created it disposes it, after this backend).
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Backends.Convolution;
using VaeOnnx.Trainer.Engine.Backends.Dense;
using VaeOnnx.Trainer.Engine.Backends.Elementwise;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Engine.Backends.Losses;
using VaeOnnx.Trainer.Engine.Backends.Optim;
using VaeOnnx.Trainer.Engine.Backends.Reductions;
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Trainer.Engine.Backends;

public sealed class GpuBackend : ComputeBackend
{
    private readonly List<IDisposable> _buffers = [];
    private readonly ElementwiseGpu _elementwise;
    private readonly LossesGpu _losses;
    private readonly OptimGpu _optim;
    private readonly LossValues _squaredNorms = new();
    private readonly Tensor _clipCoefficient = new(1);
    private readonly List<ParameterArena> _arenas = [];
    private MemoryBuffer1D<int, Stride1D.Dense>? _indices;
    private bool _disposed;

    public GpuBackend(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator.MaxNumThreadsPerGroup < GroupReduction.GroupSize)
        {
            throw new ArgumentException(
                $"The accelerator '{accelerator.Name}' allows {accelerator.MaxNumThreadsPerGroup} threads per group; the engine's kernels need " +
                $"{GroupReduction.GroupSize}. For ILGPU's CPU accelerator, create it with CPUDeviceKind.Nvidia.", nameof(accelerator));
        }
        Accelerator = accelerator;
        var kernels = new KernelLoader(accelerator, Launches);
        GemmKernels = new GemmGpu(kernels);
        Im2ColKernels = new Im2ColGpu(kernels);
        _elementwise = new ElementwiseGpu(kernels);
        _losses = new LossesGpu(kernels);
        _optim = new OptimGpu(kernels);
    }

    public Accelerator Accelerator { get; }

    /// <summary>What this backend queues on its device and when it waits for it (recorded only while started).</summary>
    public LaunchLog Launches { get; } = new();

    /// <summary>The accelerator's name, kind and memory (the CPU accelerator, which reports no real limit, shows none).</summary>
    public override string DeviceName => Accelerator.MemorySize >= 1L << 50
        ? $"{Accelerator.Name} ({Accelerator.AcceleratorType})"
        : $"{Accelerator.Name} ({Accelerator.AcceleratorType}, {Accelerator.MemorySize / (1024.0 * 1024 * 1024):0.#} GiB)";

    public override bool IsDevice => true;

    public override bool FusesActivations => true;

    /// <summary>
    /// The multiprocessor count the GEMM's split-K planner plans for: the device's own unless set (to model another
    /// GPU: the launch-count tests and the step-time model plan for an H100's 132 on ILGPU's CPU accelerator).
    /// </summary>
    public int PlanForMultiprocessors
    {
        get => GemmKernels.Multiprocessors > 0 ? GemmKernels.Multiprocessors : Accelerator.NumMultiprocessors;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            GemmKernels.Multiprocessors = value;
        }
    }

    /// <summary>How many times the host has waited for the device so far (synchronize, synchronous uploads and downloads).</summary>
    internal long HostSyncs { get; private set; }

    internal void CountSync() => HostSyncs++;

    internal GemmGpu GemmKernels { get; }

    /// <summary>Bytes of device memory the tensors' copies and the gather indices hold now (the memory estimate's check).</summary>
    internal long AllocatedBytes => _buffers.Sum(buffer => buffer switch
    {
        DeviceMirror<float> floats => floats.AllocatedBytes,
        DeviceMirror<double> doubles => doubles.AllocatedBytes,
        _ => 0L,
    }) + (_indices?.LengthInBytes ?? 0) + _arenas.Sum(a => a.Bytes) + GemmKernels.WorkspaceLength * sizeof(float);

    internal Im2ColGpu Im2ColKernels { get; }

    // ---- device views of host-side objects ----

    /// <summary>The tensor's device values for a kernel to read (host writes uploaded first).</summary>
    internal ArrayView<float> In(Tensor t) => Mirror(t).Read(t.HostBuffer, t.Length);

    /// <summary>The tensor's device buffer for a kernel that overwrites it.</summary>
    internal ArrayView<float> Out(Tensor t) => Mirror(t).Write(t.Length);

    /// <summary>The tensor's device values for a kernel that updates them in place.</summary>
    internal ArrayView<float> InOut(Tensor t) => Mirror(t).ReadWrite(t.HostBuffer, t.Length);

    internal ArrayView<double> In(LossValues v) => Mirror(v).Read(v.HostBuffer, v.Length);

    internal ArrayView<double> Out(LossValues v) => Mirror(v).Write(v.Length);

    internal ArrayView<double> InOut(LossValues v) => Mirror(v).ReadWrite(v.HostBuffer, v.Length);

    /// <summary>The tensor's device copy on this backend (created on first use).</summary>
    internal DeviceMirror<float> MirrorOf(Tensor t) => Mirror(t);

    // ---- dense algebra ----

    public override void Gemm(bool transA, bool transB, int m, int n, int k, Tensor a, Tensor b, float beta, Tensor c) =>
        GemmKernels.Multiply(transA, transB, m, n, k, In(a), In(b), beta, beta == 0f ? Out(c) : InOut(c));

    // y (n x out) = f(x W^T + b): one GEMM, bias and activation in its epilogue.
    public override void LinearForward(Tensor input, Tensor weight, Tensor bias, FusedActivation activation, Tensor output)
    {
        int n = input.Dim(0), outFeatures = weight.Dim(0), inFeatures = weight.Dim(1);
        GemmKernels.Run(new GemmGpu.Product(GemmOperand.Dense(In(input), false, inFeatures), GemmOperand.Dense(In(weight), true, inFeatures),
            GemmOutput.Dense(Out(output), outFeatures).WithBias(In(bias), perRow: false).WithActivation(activation), n, outFeatures, inFeatures));
    }

    // [dW | dB] = dY'^T [x | 1] and dX = dY' W in one launch, dY' read through the fused activation's derivative.
    public override void LinearBackward(Tensor input, Tensor weight, Tensor output, FusedActivation activation, Tensor gradOutput,
        Tensor gradWeight, Tensor gradBias, Tensor? gradInput)
    {
        int n = input.Dim(0), outFeatures = weight.Dim(0), inFeatures = weight.Dim(1);
        ArrayView<float> dY = In(gradOutput), y = activation.IsFused ? In(output) : dY;
        var weights = new GemmGpu.Product(GemmOperand.Dense(dY, true, outFeatures).MaskedBy(activation, y),
            GemmOperand.Dense(In(input), false, inFeatures).WithOnesColumn(inFeatures),
            GemmOutput.Dense(Out(gradWeight), inFeatures).WithBiasGradient(Out(gradBias), inFeatures), outFeatures, inFeatures + 1, n);
        if (gradInput is null)
        {
            GemmKernels.Run(weights);
            return;
        }
        GemmKernels.Run(weights, new GemmGpu.Product(GemmOperand.Dense(dY, false, outFeatures).MaskedBy(activation, y),
            GemmOperand.Dense(In(weight), false, inFeatures), GemmOutput.Dense(Out(gradInput), inFeatures), n, inFeatures, outFeatures));
    }

    public override ConvolutionKernels CreateConvolution(bool transposed) => new ConvolutionGpu(this, transposed);

    // ---- element-wise ----

    public override void Copy(Tensor source, Tensor destination) => _elementwise.Copy(source.Length, In(source), Out(destination));

    public override void Add(Tensor a, Tensor b, Tensor sum) => _elementwise.Add(sum.Length, In(a), In(b), Out(sum));

    public override void GatherImages(Tensor images, int imageSize, ReadOnlySpan<int> indices, Tensor batch)
    {
        if (_indices is null || _indices.Length < indices.Length)
        {
            _indices?.Dispose();
            _indices = Accelerator.Allocate1D<int>(Math.Max(indices.Length, 1));
        }
        ArrayView<int> view = ((ArrayView<int>)_indices.View).SubView(0, indices.Length);
        if (indices.Length > 0)
        {
            Launches.Sync("upload of batch indices", indices.Length * sizeof(int));
            CountSync();
            view.CopyFromCPU(indices);
        }
        _elementwise.Gather(batch.Length, In(images), view, imageSize, Out(batch));
    }

    /// <summary>batch = the images at the device-resident <paramref name="indices"/> (an epoch's order uploaded once): no host sync.</summary>
    internal void GatherImages(Tensor images, int imageSize, ArrayView<int> indices, Tensor batch) =>
        _elementwise.Gather(batch.Length, In(images), indices, imageSize, Out(batch));

    public override void Relu(Tensor x, Tensor y) => _elementwise.Relu(y.Length, In(x), Out(y));

    public override void ReluBackward(Tensor y, Tensor dY, Tensor dX) => _elementwise.ReluBackward(dX.Length, In(y), In(dY), Out(dX));

    public override void LeakyRelu(Tensor x, float slope, Tensor y) => _elementwise.LeakySelect(y.Length, In(x), In(x), slope, Out(y));

    public override void LeakyReluBackward(Tensor x, float slope, Tensor dY, Tensor dX) =>
        _elementwise.LeakySelect(dX.Length, In(x), In(dY), slope, Out(dX));

    public override void Sigmoid(Tensor x, Tensor y) => _elementwise.Sigmoid(y.Length, In(x), Out(y));

    public override void SigmoidBackward(Tensor y, Tensor dY, Tensor dX) => _elementwise.SigmoidBackward(dX.Length, In(y), In(dY), Out(dX));

    // ---- losses ----

    public override void BernoulliNll(Tensor logits, Tensor targets, LossValues perImage) =>
        _losses.BernoulliNll(perImage.Length, PerImageSize(logits, perImage), In(logits), In(targets), Out(perImage));

    public override void BernoulliNllWithGradient(Tensor logits, Tensor targets, LossValues perImage, Tensor gradLogits) =>
        _losses.BernoulliNll(perImage.Length, PerImageSize(logits, perImage), In(logits), In(targets), Out(perImage), Out(gradLogits));

    public override void BernoulliNllBackward(Tensor logits, Tensor targets, float scale, Tensor gradLogits) =>
        _losses.BernoulliNllBackward(gradLogits.Length, In(logits), In(targets), scale, Out(gradLogits));

    public override void SquaredError(Tensor prediction, Tensor targets, LossValues perImage) =>
        _losses.SquaredError(perImage.Length, PerImageSize(prediction, perImage), In(prediction), In(targets), Out(perImage));

    public override void SquaredErrorBackward(Tensor prediction, Tensor targets, float scale, Tensor gradPrediction) =>
        _losses.SquaredErrorBackward(gradPrediction.Length, In(prediction), In(targets), scale, Out(gradPrediction));

    public override void ScaleShift(LossValues values, double scale, double shift) => _losses.ScaleShift(values.Length, InOut(values), scale, shift);

    public override void GaussianKl(Tensor mu, Tensor logVar, LossValues perImage) =>
        _losses.GaussianKl(perImage.Length, PerImageSize(mu, perImage), In(mu), In(logVar), Out(perImage));

    public override void GaussianKlBackward(Tensor mu, Tensor logVar, float scale, Tensor gradMu, Tensor gradLogVar) =>
        _losses.GaussianKlBackward(mu.Length, In(mu), In(logVar), scale, Out(gradMu), Out(gradLogVar));

    public override void Reparameterize(Tensor mu, Tensor logVar, Tensor epsilon, Tensor std, Tensor z) =>
        _losses.Reparameterize(z.Length, In(mu), In(logVar), In(epsilon), Out(std), Out(z));

    public override void ReparameterizeBackward(Tensor gradZ, Tensor epsilon, Tensor std, Tensor gradMu, Tensor gradLogVar) =>
        _losses.ReparameterizeBackward(gradZ.Length, In(gradZ), In(epsilon), In(std), Out(gradMu), Out(gradLogVar));

    public override void AccumulateLoss(LossValues reconstruction, LossValues kl, LossValues sums) =>
        _losses.AccumulateLoss(reconstruction.Length, In(reconstruction), In(kl), InOut(sums));

    // ---- optimizer ----

    // One launch for every parameter: the tensors live side by side in an arena (built by PrepareAdam or the first step).
    public override void AdamStep(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> expAvg, IReadOnlyList<Tensor> expAvgSq, in AdamScalars scalars)
    {
        if (parameters.Count == 0)
        {
            return;
        }
        ParameterArena arena = Arena(parameters, expAvg, expAvgSq);
        _optim.AdamUpdate(arena.Length, arena.Values, arena.Grads, arena.ExpAvg, arena.ExpAvgSq, scalars);
    }

    public override void PrepareAdam(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> expAvg, IReadOnlyList<Tensor> expAvgSq)
    {
        if (parameters.Count > 0)
        {
            Arena(parameters, expAvg, expAvgSq);
        }
    }

    public override void Prefetch(LossValues values) => In(values);

    // The arena holding these tensors (made now if there is none), with every host write uploaded into it and the
    // device copies marked newest (an Adam step rewrites them all).
    private ParameterArena Arena(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> expAvg, IReadOnlyList<Tensor> expAvgSq)
    {
        ParameterArena? arena = _arenas.Find(a => a.Holds(parameters, expAvg, expAvgSq));
        if (arena is null)
        {
            arena = new ParameterArena(this, parameters, expAvg, expAvgSq);
            _arenas.Add(arena);
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            InOut(parameters[i].Value);
            In(parameters[i].Grad);
            InOut(expAvg[i]);
            InOut(expAvgSq[i]);
        }
        return arena;
    }

    public override void ClipGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        ArrayView<double> squaredNorms = Out(_squaredNorms.Resize(parameters.Count));
        for (int i = 0; i < parameters.Count; i++)
        {
            _optim.SquaredNorm(parameters[i].Grad.Length, In(parameters[i].Grad), squaredNorms, i);
        }
        ArrayView<float> coefficient = Out(_clipCoefficient);
        _optim.Coefficient(squaredNorms, parameters.Count, maxNorm, coefficient);
        for (int i = 0; i < parameters.Count; i++)
        {
            _optim.Scale(parameters[i].Grad.Length, InOut(parameters[i].Grad), coefficient);
        }
    }

    public override void Synchronize()
    {
        Launches.Sync("synchronize");
        CountSync();
        Accelerator.Synchronize();
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (IDisposable buffer in _buffers)
        {
            buffer.Dispose();
        }
        _buffers.Clear();
        foreach (ParameterArena arena in _arenas)
        {
            arena.Dispose();
        }
        _arenas.Clear();
        GemmKernels.Release();
        _indices?.Dispose();
    }

    private static int PerImageSize(Tensor values, LossValues perImage) => perImage.Length == 0 ? 0 : values.Length / perImage.Length;

    private DeviceMirror<float> Mirror(Tensor t) => t.Mirror = Attach(t.Mirror, t);

    private DeviceMirror<double> Mirror(LossValues v) => v.Mirror = Attach(v.Mirror, v);

    // The object's device copy on this backend, created on first use; one object belongs to one device.
    private DeviceMirror<T> Attach<T>(DeviceMirror<T>? mirror, object owner)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (mirror is null)
        {
            mirror = new DeviceMirror<T>(this, Accelerator);
            _buffers.Add(mirror);
        }
        else if (!ReferenceEquals(mirror.Owner, this))
        {
            throw new InvalidOperationException($"{owner} already lives on another GPU backend ({mirror.Owner.DeviceName}); it belongs to one device.");
        }
        return mirror;
    }
}
