// The latent-space arithmetic of the VAE API: standard normal draws from a seed (System.Random + Box-Muller, so a
// seed gives the same numbers on every machine and .NET version), and linear / spherical paths between two latents.
// It deliberately knows nothing about graphs; VaeModel validates arguments before calling in here.
namespace VaeOnnx.Runtime.Core;

public static class LatentMath
{
    /// <summary>Fills <paramref name="destination"/> with N(0, 1) draws times <paramref name="scale"/>, determined by <paramref name="seed"/>.</summary>
    public static void FillNormal(Span<float> destination, ulong seed, float scale = 1f)
    {
        var random = new Random(SeedFor(seed));
        for (int i = 0; i < destination.Length; i += 2)
        {
            // Box-Muller: u1 in (0, 1] keeps the logarithm finite.
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            double angle = 2.0 * Math.PI * u2;
            destination[i] = (float)(radius * Math.Cos(angle) * scale);
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = (float)(radius * Math.Sin(angle) * scale);
            }
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

    // System.Random takes a 31-bit seed; a SplitMix64 step spreads all 64 bits of the caller's seed over it.
    private static int SeedFor(ulong seed)
    {
        ulong x = seed + 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (int)(x >> 33);
    }
}
