// The latent-space arithmetic of the VAE API: standard normal draws from a seed (RandomSource, the generator the
// trainer uses too, so a seed gives the same numbers on every machine and .NET version), and linear / spherical paths
// between two latents.
// It deliberately knows nothing about graphs; VaeModel validates arguments before calling in here.
using VaeOnnx.Runtime.Core.Randomness;

namespace VaeOnnx.Runtime.Core;

/// <summary>Latent-space arithmetic: N(0, 1) draws from a seed (the same on every machine) and linear or spherical paths between two latents.</summary>
public static class LatentMath
{
    /// <summary>
    /// Fills <paramref name="destination"/> with N(0, 1) draws times <paramref name="scale"/>: the normals of
    /// RandomSource(<paramref name="seed"/>), in order.
    /// </summary>
    public static void FillNormal(Span<float> destination, ulong seed, float scale = 1f)
    {
        var random = new RandomSource(seed);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = random.NextGaussian() * scale;
        }
    }

    /// <summary>
    /// Writes <paramref name="steps"/> latents from <paramref name="from"/> to <paramref name="to"/> (both included,
    /// evenly spaced in t) into <paramref name="destination"/>, (steps, L) row-major.
    /// Spherical falls back to linear when either end is the zero vector or the two are (anti)parallel.
    /// </summary>
    public static void Interpolate(ReadOnlySpan<float> from, ReadOnlySpan<float> to, int steps, InterpolationKind kind, Span<float> destination)
    {
        int size = from.Length;
        if (to.Length != size || steps < 2 || destination.Length != steps * size)
        {
            throw new ArgumentException(
                $"Interpolate needs equal-length ends (got {from.Length} and {to.Length}), steps >= 2 (got {steps}) and a destination of steps × length = {steps * size} (got {destination.Length}).");
        }
        double omega = 0, sinOmega = 0;
        if (kind == InterpolationKind.Spherical)
        {
            double dot = 0, normFrom = 0, normTo = 0;
            for (int j = 0; j < size; j++)
            {
                dot += (double)from[j] * to[j];
                normFrom += (double)from[j] * from[j];
                normTo += (double)to[j] * to[j];
            }
            if (normFrom > 0 && normTo > 0)
            {
                omega = Math.Acos(Math.Clamp(dot / Math.Sqrt(normFrom * normTo), -1.0, 1.0));
                sinOmega = Math.Sin(omega);
            }
        }
        bool spherical = kind == InterpolationKind.Spherical && sinOmega > 1e-6;
        for (int s = 0; s < steps; s++)
        {
            var row = destination.Slice(s * size, size);
            if (s == 0 || s == steps - 1)
            {
                (s == 0 ? from : to).CopyTo(row);
                continue;
            }
            double t = (double)s / (steps - 1);
            double a = spherical ? Math.Sin((1 - t) * omega) / sinOmega : 1 - t;
            double b = spherical ? Math.Sin(t * omega) / sinOmega : t;
            for (int j = 0; j < size; j++)
            {
                row[j] = (float)(a * from[j] + b * to[j]);
            }
        }
    }
}
