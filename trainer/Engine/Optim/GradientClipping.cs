// Global gradient-norm clipping, as torch.nn.utils.clip_grad_norm_(parameters, max_norm) with the 2-norm:
// total = sqrt(sum of every squared gradient); when total > max_norm, every Grad is scaled by max_norm / (total + 1e-6).
// The norm is accumulated in double. It does not do other norms or per-parameter clipping.
using System.Numerics.Tensors;

namespace VaeOnnx.Trainer.Engine.Optim;

public static class GradientClipping
{
    /// <summary>Scales the gradients in place when their global 2-norm exceeds <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ClipGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The gradient-norm limit must be a positive number, e.g. 1.0 or 5.0.");
        }
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
