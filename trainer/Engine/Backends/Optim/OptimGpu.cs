// The optimizer ops on the GPU: Adam (one launch for every parameter: one thread per value of the ParameterArena that
// holds them all, the same float formula as OptimCpu's scalar line) and
// global-norm clipping that never leaves the device: one group per gradient tensor sums its squares (strided sums,
// GroupReduction's fixed tree), one thread adds the tensors' squared norms in order and computes the coefficient,
// and one pass per tensor scales it. OptimCpu.cs beside it is the CPU version and the reference the tests check this
// against (tests/Trainer/Engine/Backends/Optim).
using ILGPU;
using ILGPU.Runtime;
using VaeOnnx.Trainer.Engine.Backends.Launches;
using VaeOnnx.Trainer.Engine.Backends.Reductions;
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Trainer.Engine.Backends.Optim;

public sealed class OptimGpu(KernelLoader kernels)
{
    private const int GroupSize = GroupReduction.GroupSize;

    private Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamScalars>? _adam;
    private Action<KernelConfig, ArrayView<float>, int, ArrayView<double>, int>? _squaredNorm;
    private Action<Index1D, ArrayView<double>, int, double, ArrayView<float>>? _coefficient;
    private Action<Index1D, ArrayView<float>, ArrayView<float>>? _scale;

    /// <summary>Adam over the first <paramref name="length"/> values of four parallel views (an arena's, or one tensor's).</summary>
    public void AdamUpdate(int length, ArrayView<float> value, ArrayView<float> grad, ArrayView<float> expAvg, ArrayView<float> expAvgSq, AdamScalars scalars)
    {
        if (length > 0)
        {
            (_adam ??= kernels.Load<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, AdamScalars>(
                AdamKernel))(length, value, grad, expAvg, expAvgSq, scalars);
        }
    }

    /// <summary>squaredNorms[slot] = |grad|^2 as the CPU forms it: the float norm, squared in double.</summary>
    public void SquaredNorm(int length, ArrayView<float> grad, ArrayView<double> squaredNorms, int slot) =>
        (_squaredNorm ??= kernels.LoadGrouped<ArrayView<float>, int, ArrayView<double>, int>(SquaredNormKernel))(
            new KernelConfig(1, GroupSize), grad, length, squaredNorms, slot);

    /// <summary>coefficient[0] = min(1, maxNorm / (sqrt(sum of the squared norms) + 1e-6)).</summary>
    public void Coefficient(ArrayView<double> squaredNorms, int count, double maxNorm, ArrayView<float> coefficient) =>
        (_coefficient ??= kernels.Load<ArrayView<double>, int, double, ArrayView<float>>(CoefficientKernel))(
            1, squaredNorms, count, maxNorm, coefficient);

    public void Scale(int length, ArrayView<float> grad, ArrayView<float> coefficient)
    {
        if (length > 0)
        {
            (_scale ??= kernels.Load<ArrayView<float>, ArrayView<float>>(ScaleKernel))(length, grad, coefficient);
        }
    }

    private static void AdamKernel(Index1D i, ArrayView<float> p, ArrayView<float> grad, ArrayView<float> m, ArrayView<float> v, AdamScalars s)
    {
        float g = grad[i] + s.WeightDecay * p[i];
        float mi = Adam.FlushedToZero(s.Beta1 * m[i] + s.OneMinusBeta1 * g);
        float vi = Adam.FlushedToZero(s.Beta2 * v[i] + s.OneMinusBeta2 * (g * g));
        float denominator = MathF.Sqrt(vi) / s.Bias2Sqrt + s.Epsilon;
        p[i] = p[i] - s.StepSize * (mi / denominator);
        m[i] = mi;
        v[i] = vi;
    }

    private static void SquaredNormKernel(ArrayView<float> grad, int length, ArrayView<double> squaredNorms, int slot)
    {
        ArrayView<float> shared = SharedMemory.Allocate<float>(GroupSize);
        float sum = 0f;
        for (int j = Group.IdxX; j < length; j += GroupSize)
        {
            sum += grad[j] * grad[j];
        }
        float total = GroupReduction.Sum(shared, sum);
        if (Group.IdxX == 0)
        {
            double norm = MathF.Sqrt(total);
            squaredNorms[slot] = norm * norm;
        }
    }

    private static void CoefficientKernel(Index1D i, ArrayView<double> squaredNorms, int count, double maxNorm, ArrayView<float> coefficient)
    {
        double sum = 0;
        for (int j = 0; j < count; j++)
        {
            sum += squaredNorms[j];
        }
        double c = maxNorm / (Math.Sqrt(sum) + 1e-6);
        coefficient[0] = c < 1 ? (float)c : 1f;
    }

    private static void ScaleKernel(Index1D i, ArrayView<float> grad, ArrayView<float> coefficient) => grad[i] = grad[i] * coefficient[0];
}
