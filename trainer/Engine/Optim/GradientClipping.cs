// Global gradient-norm clipping, as torch.nn.utils.clip_grad_norm_(parameters, max_norm) with the 2-norm:
// total = sqrt(sum of every squared gradient); when total > max_norm, every Grad is scaled by max_norm / (total + 1e-6).
// The norm is accumulated in double. It does not do other norms or per-parameter clipping.
// The work is a backend op (Backends/Optim: OptimCpu, OptimGpu); on a GPU the norm never leaves the device.
using VaeOnnx.Trainer.Engine.Backends;
using VaeOnnx.Trainer.Engine.Backends.Optim;

namespace VaeOnnx.Trainer.Engine.Optim;

public static class GradientClipping
{
    /// <summary>Scales the gradients in place when their global 2-norm exceeds <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ClipGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        CheckArguments(parameters, maxNorm);
        return OptimCpu.ClipGlobalNorm(parameters, maxNorm);
    }

    /// <summary>As above on <paramref name="backend"/>, without reading the norm back (a GPU keeps it on the device).</summary>
    public static void ClipGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm, ComputeBackend backend)
    {
        CheckArguments(parameters, maxNorm);
        backend.ClipGlobalNorm(parameters, maxNorm);
    }

    private static void CheckArguments(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The gradient-norm limit must be a positive number, e.g. 1.0 or 5.0.");
        }
    }
}
