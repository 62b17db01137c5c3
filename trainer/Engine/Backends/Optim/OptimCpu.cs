// The optimizer ops on the CPU: one Adam update of a parameter (Vector<T> lanes, scalar tail computing the same
// thing; subnormal moments stored as 0, see Optim/Adam.cs) and global-norm gradient clipping (norm per tensor, squares
// summed in double). OptimGpu.cs beside it is the GPU version; ../../Optim (Adam, GradientClipping) call both through
// ComputeBackend.
using System.Numerics;
using System.Numerics.Tensors;
using VaeOnnx.Trainer.Engine.Optim;

namespace VaeOnnx.Trainer.Engine.Backends.Optim;

public static class OptimCpu
{
    public static void AdamUpdate(Tensor value, Tensor grad, Tensor expAvg, Tensor expAvgSq, in AdamScalars s)
    {
        Span<float> p = value.Span, m = expAvg.Span, v = expAvgSq.Span;
        ReadOnlySpan<float> g0 = grad.Span;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var beta1 = new Vector<float>(s.Beta1);
            var oneMinusBeta1 = new Vector<float>(s.OneMinusBeta1);
            var beta2 = new Vector<float>(s.Beta2);
            var oneMinusBeta2 = new Vector<float>(s.OneMinusBeta2);
            var stepSize = new Vector<float>(s.StepSize);
            var bias2Sqrt = new Vector<float>(s.Bias2Sqrt);
            var epsilon = new Vector<float>(s.Epsilon);
            var weightDecay = new Vector<float>(s.WeightDecay);
            var smallestNormal = new Vector<float>(Adam.SmallestNormal);
            for (; i <= p.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var pv = new Vector<float>(p[i..]);
                var g = new Vector<float>(g0[i..]) + weightDecay * pv;
                var mv = beta1 * new Vector<float>(m[i..]) + oneMinusBeta1 * g;
                var vv = beta2 * new Vector<float>(v[i..]) + oneMinusBeta2 * (g * g);
                mv = Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(mv), smallestNormal), Vector<float>.Zero, mv);
                vv = Vector.ConditionalSelect(Vector.LessThan(vv, smallestNormal), Vector<float>.Zero, vv);
                var denominator = Vector.SquareRoot(vv) / bias2Sqrt + epsilon;
                (pv - stepSize * (mv / denominator)).CopyTo(p[i..]);
                mv.CopyTo(m[i..]);
                vv.CopyTo(v[i..]);
            }
        }
        // The scalar line computes the same thing element by element (and is the whole loop without SIMD).
        for (; i < p.Length; i++)
        {
            float g = g0[i] + s.WeightDecay * p[i];
            m[i] = Adam.FlushedToZero(s.Beta1 * m[i] + s.OneMinusBeta1 * g);
            v[i] = Adam.FlushedToZero(s.Beta2 * v[i] + s.OneMinusBeta2 * (g * g));
            float denominator = MathF.Sqrt(v[i]) / s.Bias2Sqrt + s.Epsilon;
            p[i] -= s.StepSize * (m[i] / denominator);
        }
    }

    /// <summary>Clips as clip_grad_norm_ does; returns the norm before clipping.</summary>
    public static double ClipGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        double sumOfSquares = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            double norm = TensorPrimitives.Norm((ReadOnlySpan<float>)parameters[i].Grad.Span);
            sumOfSquares += norm * norm;
        }
        double total = Math.Sqrt(sumOfSquares);
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1)
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                Span<float> grad = parameters[i].Grad.Span;
                TensorPrimitives.Multiply(grad, (float)coefficient, grad);
            }
        }
        return total;
    }
}
