// The one normal transform of the VaeOnnx generators: two 64-bit random words to a pair of independent N(0, 1)
// floats by Box-Muller in double precision. RandomSource (sequential) and CounterNormal (counter-based) both call it,
// so their normals are computed the same way. It deliberately uses Math.Sin and Math.Cos, not Math.SinCos: that is
// what the trainer's seeded streams have always used, and they must stay bit for bit what they were.
namespace VaeOnnx.Runtime.Core.Randomness;

internal static class BoxMuller
{
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    /// <summary>
    /// The pair (r cos θ, r sin θ) with r = sqrt(-2 ln u1), θ = 2π u2, u1 = (top 53 bits of <paramref name="first"/> + 1) / 2^53
    /// in (0, 1] (so the logarithm stays finite) and u2 = top 53 bits of <paramref name="second"/> / 2^53 in [0, 1).
    /// </summary>
    public static (float Cos, float Sin) Pair(ulong first, ulong second)
    {
        double u1 = ((first >> 11) + 1) * TwoToMinus53;
        double u2 = (second >> 11) * TwoToMinus53;
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        double angle = 2.0 * Math.PI * u2;
        return ((float)(radius * Math.Cos(angle)), (float)(radius * Math.Sin(angle)));
    }
}
