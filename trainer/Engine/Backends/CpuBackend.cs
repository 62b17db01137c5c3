// The CPU backend: the engine's own SIMD kernels (../Kernels: packed AVX-512/AVX2 GEMM, im2col/col2im, chunked
// convolutions over EngineThreads) behind ComputeBackend, one call each, so the CPU path is what it was before
// backends existed. Stateless apart from the thread-local scratch the kernels use, so one shared instance serves
// every network.
using VaeOnnx.Trainer.Engine.Backends.Convolution;
using VaeOnnx.Trainer.Engine.Backends.Elementwise;
using VaeOnnx.Trainer.Engine.Backends.Dense;
using VaeOnnx.Trainer.Engine.Backends.Losses;
using VaeOnnx.Trainer.Engine.Backends.Optim;
using VaeOnnx.Trainer.Engine.Kernels;
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Trainer.Engine.Backends;

public sealed class CpuBackend : ComputeBackend
{
    private CpuBackend()
    {
    }

    public static CpuBackend Instance { get; } = new();

    public override string DeviceName => $"cpu ({Environment.ProcessorCount} cores, {EngineThreads.Count} threads, GEMM {Kernels.Gemm.Kernel})";

    public override bool IsDevice => false;

    public override void Gemm(bool transA, bool transB, int m, int n, int k, Tensor a, Tensor b, float beta, Tensor c) =>
        GemmCpu.Multiply(transA, transB, m, n, k, a, b, beta, c);

    // y = x W^T + b as the engine always computed it: the bias rows, then the GEMM adding to them.
    public override void LinearForward(Tensor input, Tensor weight, Tensor bias, FusedActivation activation, Tensor output)
    {
        RefuseFusion(activation);
        int n = input.Dim(0), outFeatures = weight.Dim(0), inFeatures = weight.Dim(1);
        GemmCpu.FillRows(bias, n, output);
        GemmCpu.Multiply(false, true, n, outFeatures, inFeatures, input, weight, 1f, output);
    }

    public override void LinearBackward(Tensor input, Tensor weight, Tensor output, FusedActivation activation, Tensor gradOutput,
        Tensor gradWeight, Tensor gradBias, Tensor? gradInput)
    {
        RefuseFusion(activation);
        int n = input.Dim(0), outFeatures = weight.Dim(0), inFeatures = weight.Dim(1);
        GemmCpu.Multiply(true, false, outFeatures, inFeatures, n, gradOutput, input, 0f, gradWeight);
        GemmCpu.SumRows(gradOutput, n, gradBias);
        if (gradInput is not null)
        {
            GemmCpu.Multiply(false, false, n, inFeatures, outFeatures, gradOutput, weight, 0f, gradInput);
        }
    }

    public override ConvolutionKernels CreateConvolution(bool transposed) =>
        transposed ? new ConvTranspose2dCpu() : new Conv2dCpu();

    public override void Copy(Tensor source, Tensor destination) => ElementwiseCpu.Copy(source, destination);

    public override void Add(Tensor a, Tensor b, Tensor sum) => ElementwiseCpu.Add(a, b, sum);

    public override void GatherImages(Tensor images, int imageSize, ReadOnlySpan<int> indices, Tensor batch) =>
        ElementwiseCpu.GatherImages(images, imageSize, indices, batch);

    public override void Relu(Tensor x, Tensor y) => ElementwiseCpu.Relu(x, y);

    public override void ReluBackward(Tensor y, Tensor dY, Tensor dX) => ElementwiseCpu.ReluBackward(y, dY, dX);

    public override void LeakyRelu(Tensor x, float slope, Tensor y) => ElementwiseCpu.LeakyRelu(x, slope, y);

    public override void LeakyReluBackward(Tensor x, float slope, Tensor dY, Tensor dX) => ElementwiseCpu.LeakyReluBackward(x, slope, dY, dX);

    public override void Sigmoid(Tensor x, Tensor y) => ElementwiseCpu.Sigmoid(x, y);

    public override void SigmoidBackward(Tensor y, Tensor dY, Tensor dX) => ElementwiseCpu.SigmoidBackward(y, dY, dX);

    public override void BernoulliNll(Tensor logits, Tensor targets, LossValues perImage) => LossesCpu.BernoulliNll(logits, targets, perImage);

    public override void BernoulliNllBackward(Tensor logits, Tensor targets, float scale, Tensor gradLogits) =>
        LossesCpu.BernoulliNllBackward(logits, targets, scale, gradLogits);

    public override void SquaredError(Tensor prediction, Tensor targets, LossValues perImage) => LossesCpu.SquaredError(prediction, targets, perImage);

    public override void SquaredErrorBackward(Tensor prediction, Tensor targets, float scale, Tensor gradPrediction) =>
        LossesCpu.SquaredErrorBackward(prediction, targets, scale, gradPrediction);

    public override void ScaleShift(LossValues values, double scale, double shift) => LossesCpu.ScaleShift(values, scale, shift);

    public override void GaussianKl(Tensor mu, Tensor logVar, LossValues perImage) => LossesCpu.GaussianKl(mu, logVar, perImage);

    public override void GaussianKlBackward(Tensor mu, Tensor logVar, float scale, Tensor gradMu, Tensor gradLogVar) =>
        LossesCpu.GaussianKlBackward(mu, logVar, scale, gradMu, gradLogVar);

    public override void Reparameterize(Tensor mu, Tensor logVar, Tensor epsilon, Tensor std, Tensor z) =>
        LossesCpu.Reparameterize(mu, logVar, epsilon, std, z);

    public override void ReparameterizeBackward(Tensor gradZ, Tensor epsilon, Tensor std, Tensor gradMu, Tensor gradLogVar) =>
        LossesCpu.ReparameterizeBackward(gradZ, epsilon, std, gradMu, gradLogVar);

    public override void AccumulateLoss(LossValues reconstruction, LossValues kl, LossValues sums) =>
        LossesCpu.AccumulateLoss(reconstruction, kl, sums);

    public override void AdamStep(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> expAvg, IReadOnlyList<Tensor> expAvgSq, in AdamScalars scalars)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            OptimCpu.AdamUpdate(parameters[i].Value, parameters[i].Grad, expAvg[i], expAvgSq[i], scalars);
        }
    }

    public override void ClipGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm) => OptimCpu.ClipGlobalNorm(parameters, maxNorm);

    // The CPU layers run their activations themselves (FusesActivations is false), so no layer asks this.
    private static void RefuseFusion(FusedActivation activation)
    {
        if (activation.IsFused)
        {
            throw new NotSupportedException($"The CPU backend does not fuse activations ({activation}); run the activation layer instead.");
        }
    }
}
