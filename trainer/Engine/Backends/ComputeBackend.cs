// The operations the engine's layers, losses and optimizer are written against, at the granularity that lets the CPU
// keep its chunked, threaded kernels: a GEMM, a whole convolution pass, an activation, a loss, an Adam step, a
// gradient-norm clip. Two implementations: CpuBackend (the SIMD kernels of ../Kernels, unchanged) and GpuBackend
// (ILGPU kernels, run on CUDA or on ILGPU's CPU accelerator in tests). Each op family keeps its CPU and GPU versions
// side by side in one folder here (Dense/, Convolution/, Elementwise/, Losses/, Optim/).
// Tensors passed in are dense and row-major; shapes are checked by the layers, not here. Every reduction runs in a
// fixed order on both backends (no atomics), so a run is bit-identical to itself on the same device.
// It does not own tensors: on a GPU each Tensor carries its device copy (DeviceMirror), created on first use.
using VaeOnnx.Trainer.Engine.Backends.Convolution;
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Trainer.Engine.Backends;

public abstract class ComputeBackend : IDisposable
{
    /// <summary>What runs the kernels, e.g. "cpu (AVX-512, 2 threads)" or the GPU's name and memory.</summary>
    public abstract string DeviceName { get; }

    /// <summary>True for a GPU backend: reading a result back to the host costs a device round trip.</summary>
    public abstract bool IsDevice { get; }

    /// <summary>
    /// True when Linear and the convolutions can apply a ReLU or leaky ReLU to their output and read their gradient
    /// through it (Layers/LayerFusion then folds activation layers into them). False on the CPU, whose layers run as they are.
    /// </summary>
    public virtual bool FusesActivations => false;

    // ---- dense algebra (Dense/) ----

    /// <summary>c (m x n) = op(a) op(b) + beta c; a is (m x k) or, transposed, (k x m); b is (k x n) or (n x k).</summary>
    public abstract void Gemm(bool transA, bool transB, int m, int n, int k, Tensor a, Tensor b, float beta, Tensor c);

    /// <summary>y (n x out) = f(x (n x in) weight^T + bias), f the fused activation (None unless FusesActivations).</summary>
    public abstract void LinearForward(Tensor input, Tensor weight, Tensor bias, FusedActivation activation, Tensor output);

    /// <summary>
    /// From dY (n x out): dWeight (out x in) = dY'^T x, dBias = column sums of dY', and dX (n x in) = dY' weight unless
    /// <paramref name="gradInput"/> is null, where dY' = dY f'(y) (f' read from <paramref name="output"/>) with a fused activation, else dY.
    /// </summary>
    public abstract void LinearBackward(Tensor input, Tensor weight, Tensor output, FusedActivation activation, Tensor gradOutput,
        Tensor gradWeight, Tensor gradBias, Tensor? gradInput);

    // ---- convolutions (Convolution/) ----

    /// <summary>The forward and backward passes of one convolution layer, with the scratch space they keep between calls.</summary>
    public abstract ConvolutionKernels CreateConvolution(bool transposed);

    // ---- element-wise (Elementwise/) ----

    public abstract void Copy(Tensor source, Tensor destination);

    public abstract void Add(Tensor a, Tensor b, Tensor sum);

    /// <summary>batch (indices.Length x imageSize) = the images at <paramref name="indices"/> of <paramref name="images"/>.</summary>
    public abstract void GatherImages(Tensor images, int imageSize, ReadOnlySpan<int> indices, Tensor batch);

    public abstract void Relu(Tensor x, Tensor y);

    /// <summary>dX = dY where y &gt; 0, else 0.</summary>
    public abstract void ReluBackward(Tensor y, Tensor dY, Tensor dX);

    public abstract void LeakyRelu(Tensor x, float slope, Tensor y);

    /// <summary>dX = dY where x &gt; 0, else slope * dY.</summary>
    public abstract void LeakyReluBackward(Tensor x, float slope, Tensor dY, Tensor dX);

    public abstract void Sigmoid(Tensor x, Tensor y);

    /// <summary>dX = y (1 - y) dY.</summary>
    public abstract void SigmoidBackward(Tensor y, Tensor dY, Tensor dX);

    // ---- losses (Losses/) ----

    /// <summary>perImage[n] = sum over image n of max(l, 0) - l x + log(1 + exp(-|l|)) (float sum per image).</summary>
    public abstract void BernoulliNll(Tensor logits, Tensor targets, LossValues perImage);

    /// <summary>
    /// BernoulliNll and BernoulliNllBackward at scale 1 in one pass (the losses ask for it on a device, where a launch
    /// costs more than writing a gradient the caller may not use); by default the two calls.
    /// </summary>
    public virtual void BernoulliNllWithGradient(Tensor logits, Tensor targets, LossValues perImage, Tensor gradLogits)
    {
        BernoulliNll(logits, targets, perImage);
        BernoulliNllBackward(logits, targets, 1f, gradLogits);
    }

    /// <summary>dLogits = scale (sigmoid(l) - x).</summary>
    public abstract void BernoulliNllBackward(Tensor logits, Tensor targets, float scale, Tensor gradLogits);

    /// <summary>perImage[n] = sum over image n of (m - x)^2 (float sum per image).</summary>
    public abstract void SquaredError(Tensor prediction, Tensor targets, LossValues perImage);

    /// <summary>dPrediction = 2 scale (m - x).</summary>
    public abstract void SquaredErrorBackward(Tensor prediction, Tensor targets, float scale, Tensor gradPrediction);

    /// <summary>values[i] = scale * values[i] + shift, in double.</summary>
    public abstract void ScaleShift(LossValues values, double scale, double shift);

    /// <summary>perImage[n] = -0.5 sum_j (1 + lv - mu^2 - exp(lv)), summed in double.</summary>
    public abstract void GaussianKl(Tensor mu, Tensor logVar, LossValues perImage);

    /// <summary>dMu = scale mu, dLogVar = 0.5 scale (exp(lv) - 1).</summary>
    public abstract void GaussianKlBackward(Tensor mu, Tensor logVar, float scale, Tensor gradMu, Tensor gradLogVar);

    /// <summary>std = exp(0.5 lv), z = mu + std eps.</summary>
    public abstract void Reparameterize(Tensor mu, Tensor logVar, Tensor epsilon, Tensor std, Tensor z);

    /// <summary>dMu = dZ, dLogVar = dZ eps 0.5 std.</summary>
    public abstract void ReparameterizeBackward(Tensor gradZ, Tensor epsilon, Tensor std, Tensor gradMu, Tensor gradLogVar);

    /// <summary>sums[0] += Total(reconstruction), sums[1] += Total(kl): a running loss that stays on the device.</summary>
    public abstract void AccumulateLoss(LossValues reconstruction, LossValues kl, LossValues sums);

    // ---- optimizer (Optim/) ----

    /// <summary>
    /// One Adam update of every parameter from its gradient and its moments <paramref name="expAvg"/>[i] and
    /// <paramref name="expAvgSq"/>[i] (see Optim/Adam.cs for the formula): one pass per tensor on the CPU, one launch for all on a GPU.
    /// </summary>
    public abstract void AdamStep(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> expAvg, IReadOnlyList<Tensor> expAvgSq, in AdamScalars scalars);

    /// <summary>Scales every gradient by maxNorm / (norm + 1e-6) when their global 2-norm exceeds maxNorm.</summary>
    public abstract void ClipGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm);

    /// <summary>
    /// Moves every parameter and moment where AdamStep updates them (a GPU uploads them into one arena now, with the
    /// host syncs that takes, instead of during the first step); a no-op on the CPU.
    /// </summary>
    public virtual void PrepareAdam(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> expAvg, IReadOnlyList<Tensor> expAvgSq)
    {
    }

    /// <summary>Copies host writes to the device now (a GPU waits for the copy) rather than at the next kernel that reads them; a no-op on the CPU.</summary>
    public virtual void Prefetch(LossValues values)
    {
    }

    /// <summary>Waits until queued device work has finished (no-op on the CPU).</summary>
    public virtual void Synchronize()
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    public override string ToString() => DeviceName;
}
